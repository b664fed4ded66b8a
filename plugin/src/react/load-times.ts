import { routerState } from "./router.js";

/**
 * When this tab last asked the server for each route's data, seen in the data requests Remix makes
 * (submission-origin.ts wraps `fetch` when the runtime loads): `?_data=<route id>` without single
 * fetch, `.data` with it, where `_routes` lists the route ids (all of them when absent). Requests
 * made before the runtime loaded (a client-side navigation into the tab's first live route asks
 * for its data while the route's code, and so remix-live's, is still loading) are read from the
 * browser's resource timing buffer. Before any of these, the data came with the document, asked
 * for when the page's navigation began, unless the browser took the document from its cache (a back
 * or forward navigation, for one): its data may then be of any age.
 */
const loadedAt = new Map<string, number>();
/** A load without `_routes` (single fetch) loads every route. */
export const EVERY_ROUTE = "*";
let documentAt: number | undefined;
/** When the runtime loaded, on the page's clock: the `fetch` wrapper sees every data request after this. */
const runtimeLoadedAt = performance.now();

/** A request for Remix's data: `?_data=`, or `.data` with single fetch (loads and submissions alike). */
export function isRemixData(url: URL): boolean {
  return url.origin === location.origin && (url.searchParams.has("_data") || url.pathname.endsWith(".data"));
}

/**
 * Whether a data request made now is a `fetcher.load()`, whose data goes to its fetcher, not to
 * the page: the router neither navigates nor revalidates (its own, or after a fetcher's
 * submission other than a GET), and a fetcher loads. In doubt (both at once), it counts as the
 * page's load.
 */
export function isFetcherLoad(): boolean {
  const state = routerState();
  const fetchers = [...(state?.fetchers.values() ?? [])];
  // A fetcher's submission, and the revalidation after it, has a form method until it is done; a GET
  // submission (a search form) is a load.
  return state?.navigation.state === "idle" && state.revalidation === "idle" && fetchers.some((fetcher) => fetcher.state === "loading") && fetchers.every((fetcher) => /^(get)?$/i.test(fetcher.formMethod ?? ""));
}

/**
 * A load of Remix's data, sent at `at` (`Date.now()`). Returns what takes it back should it fail
 * (a navigation cancelled by another brought no data), unless a later load replaced it.
 */
export function noteDataRequest(url: URL, at = Date.now()): () => void {
  const undo: Array<() => void> = [];
  for (const id of (url.searchParams.get("_data") ?? url.searchParams.get("_routes") ?? EVERY_ROUTE).split(",")) {
    const before = loadedAt.get(id);
    if (!(at > (before ?? 0))) continue;
    loadedAt.set(id, at);
    undo.push(() => loadedAt.get(id) === at && (before ? loadedAt.set(id, before) : loadedAt.delete(id)));
  }
  return () => undo.forEach((step) => step());
}

/** When the data route `routeId` shows now was asked for, at the latest (0: unknown). */
export function dataLoadedAt(routeId: string): number {
  if (documentAt === undefined) {
    // Wall-clock time of the navigation's start (performance.timeOrigin drifts from Date.now() after a sleep).
    const origin = Date.now() - performance.now();
    const navigation = performance.getEntriesByType?.("navigation")[0] as PerformanceNavigationTiming | undefined;
    // No bytes came over the network for it (or, where that is not told, a back or forward navigation): from the cache.
    const cached = navigation && !(navigation.transferSize > 0) && (navigation.transferSize === 0 || navigation.type === "back_forward");
    documentAt = cached ? 0 : origin;
    // Data requests from before the runtime loaded count as loads: submissions come from pages that
    // show a live route, and so have the runtime (a prefetch of the same data comes before its load).
    for (const entry of performance.getEntriesByType?.("resource") ?? []) {
      const url = new URL(entry.name);
      if (entry.startTime < runtimeLoadedAt && isRemixData(url)) noteDataRequest(url, origin + entry.startTime);
    }
  }
  return Math.max(loadedAt.get(routeId) ?? documentAt, loadedAt.get(EVERY_ROUTE) ?? 0);
}
