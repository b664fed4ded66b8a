/**
 * When this tab last asked the server for each route's data, seen in the data requests Remix makes
 * (submission-origin.ts wraps `fetch`): `?_data=<route id>` without single fetch, `.data` with it,
 * where `_routes` lists the route ids (all of them when absent). Before the first one, the data
 * came with the document, asked for when the page's navigation began, unless the browser took the
 * document from its cache (a back or forward navigation, for one): its data may then be of any age.
 */
const loadedAt = new Map<string, number>();
let everyRouteAt = 0;
let documentAt: number | undefined;

export function noteDataRequest(url: URL): void {
  const ids = url.searchParams.get("_data") ?? url.searchParams.get("_routes");
  const now = Date.now();
  if (ids) for (const id of ids.split(",")) loadedAt.set(id, now);
  else everyRouteAt = now;
}

/** When the data route `routeId` shows now was asked for, at the latest (0: unknown). */
export function dataLoadedAt(routeId: string): number {
  if (documentAt === undefined) {
    const navigation = performance.getEntriesByType?.("navigation")[0] as PerformanceNavigationTiming | undefined;
    // Wall-clock time of the navigation's start (performance.timeOrigin drifts from Date.now() after a sleep).
    // No bytes came over the network for it (or, where that is not told, a back or forward navigation): from the cache.
    const cached = navigation && !(navigation.transferSize > 0) && (navigation.transferSize === 0 || navigation.type === "back_forward");
    documentAt = cached ? 0 : Date.now() - performance.now();
  }
  return Math.max(loadedAt.get(routeId) ?? documentAt, everyRouteAt);
}
