import { useHref, useMatches, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { followStream } from "./connection.js";
import { requestRevalidation, trackRevalidator } from "./revalidation-queue.js";
import { streamPathFor } from "./stream-path.js";

/**
 * Keeps the current page's loaders fresh while the stream at `streamPath` sends events.
 * `streamPath` is an app path (without the Remix basename); `null` follows nothing.
 */
export function useLiveStream(streamPath: string | null): void {
  const revalidator = useRevalidator();
  // An absolute path given to useHref gains the app's basename.
  const url = useHref(streamPath ?? "/");

  useEffect(() => {
    trackRevalidator(revalidator);
  }, [revalidator, revalidator.state]);

  useEffect(() => {
    if (streamPath === null) return;
    return followStream(url, requestRevalidation);
  }, [streamPath, url]);
}

/**
 * Injected by the remix-live Vite plugin into every route that exports `live`: follows the
 * generated `<route URL>/stream` resource route. Not meant to be called by hand; use
 * `useLiveLoader` in hand-written setups.
 */
export function useLiveRoute(routeId: string): void {
  const match = useMatches().find((candidate) => candidate.id === routeId);
  useLiveStream(match ? streamPathFor(match.pathname) : null);
}
