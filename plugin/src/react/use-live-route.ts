import { useFetchers, useHref, useMatches, useNavigation, useRevalidator } from "./router.js";
import { useEffect, useSyncExternalStore } from "react";
import { SHARED_STREAM_PATH } from "../shared/stream-export.js";
import { followStream } from "./connection.js";
import { getLiveClient } from "./lazy-live-client.js";
import { dataLoadedAt } from "./load-times.js";
import { requestRevalidation, setBusy, setCoalesceWindow, trackRevalidator } from "./revalidation-queue.js";
import type { LiveStatus } from "./shared-connection.js";
import { streamPathFor } from "./stream-path.js";
import { isCoveredEcho, tagSubmissions } from "./submission-origin.js";

// Remix's data requests are watched from the moment a live route's module loads (see
// submission-origin.ts and load-times.ts): a navigation into a live route may have asked for its
// data before the module came, and its route then knows only that the data is older than that.
if (typeof document !== "undefined") tagSubmissions();

/**
 * Lets the revalidation queue see Remix's revalidator, so it never starts one while another runs,
 * and Remix's navigations and submissions, which come first (see `setBusy`).
 */
function useTrackedRevalidator(): void {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state !== "idle");
  useEffect(() => {
    trackRevalidator(revalidator);
  }, [revalidator, revalidator.state]);
  useEffect(() => {
    setBusy(busy);
  }, [busy]);
}

/**
 * Keeps the current page's loaders fresh while the stream at `streamPath` sends events, over a
 * connection of its own: for hand-written stream routes. `streamPath` is an app path (without the
 * Remix basename); `null` follows nothing.
 */
export function useLiveStream(streamPath: string | null): void {
  useTrackedRevalidator();
  // An absolute path given to useHref gains the app's basename.
  const url = useHref(streamPath ?? "/");
  useEffect(() => {
    if (streamPath === null) return;
    return followStream(url, () => requestRevalidation());
  }, [streamPath, url]);
}

/**
 * Injected by the remix-live Vite plugin into every route that exports `live`: follows the route's
 * `<route URL>/stream` over the browser's one shared connection. A module that several routes share
 * gets all their ids, and follows the one on the page. Not meant to be called by hand; use
 * `useLiveLoader` in hand-written setups.
 */
export function useLiveRoute(routeIds: string | string[], coalesceWindow?: number): void {
  if (coalesceWindow !== undefined) setCoalesceWindow(coalesceWindow);
  useTrackedRevalidator();
  const match = useMatches().find((candidate) => [routeIds].flat().includes(candidate.id));
  const routeId = match?.id;
  const path = match ? streamPathFor(match.pathname) : null;
  const sharedUrl = useHref(SHARED_STREAM_PATH);
  useEffect(() => {
    if (path === null || routeId === undefined) return;
    // An event, a refusal or a catch-up for this route re-runs this route's loader, unless the
    // event is the echo of this tab's own submission. A change it missed (it joins the stream a
    // moment after its data loaded; a stream may drop) counts too.
    return getLiveClient(sharedUrl).follow(path, () => dataLoadedAt(routeId), (origin) => isCoveredEcho(origin, routeId) || requestRevalidation(routeId));
  }, [path, sharedUrl, routeId]);
}

/**
 * The state of the browser's live connection: `"connecting"` until it first opens, `"open"`,
 * `"reconnecting"` after it dropped (pages may be stale until it is back; they catch up then), and
 * `"offline"` while the browser is. A page that shows no live route waits for nothing: `"open"`,
 * or `"offline"`.
 */
export function useLiveStatus(): LiveStatus {
  const url = useHref(SHARED_STREAM_PATH);
  // Server rendering knows nothing of the browser's connection.
  const client = typeof document === "undefined" ? null : getLiveClient(url);
  return useSyncExternalStore(client?.onStatus ?? subscribeToNothing, client?.status ?? connecting, connecting);
}

const connecting = (): LiveStatus => "connecting";
const subscribeToNothing = () => () => {};
