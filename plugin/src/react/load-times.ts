/**
 * When this tab last asked the server for each route's data, seen in the data requests Remix makes
 * (submission-origin.ts wraps `fetch`): `?_data=<route id>` without single fetch, `.data` with it,
 * where `_routes` lists the route ids (all of them when absent). Before the first one, the data
 * came with the document, requested when the page's navigation began.
 */
const loadedAt = new Map<string, number>();
let everyRouteAt = 0;

export function noteDataRequest(url: URL): void {
  const ids = url.searchParams.get("_data") ?? url.searchParams.get("_routes");
  const now = Date.now();
  if (ids) for (const id of ids.split(",")) loadedAt.set(id, now);
  else everyRouteAt = now;
}

/** When the data route `routeId` shows now was asked for, at the latest. */
export function dataLoadedAt(routeId: string): number {
  return Math.max(loadedAt.get(routeId) ?? performance.timeOrigin, everyRouteAt);
}
