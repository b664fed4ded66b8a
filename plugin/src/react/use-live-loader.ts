import { useLoaderData, useLocation } from "./router.js";
import { streamPathFor } from "./stream-path.js";
import { useLiveStream } from "./use-live-route.js";

export interface UseLiveLoaderOptions {
  /**
   * The app path of the event stream to follow.
   * @default the current URL path + "/stream", as in the original demo
   */
  stream?: string;
}

/**
 * `useLoaderData()` that stays fresh: the page's loaders re-run whenever the stream route sends
 * an event. For hand-written stream routes; routes that export `live` need no hook at all.
 */
export function useLiveLoader<T = unknown>(options: UseLiveLoaderOptions = {}): ReturnType<typeof useLoaderData<T>> {
  const { pathname } = useLocation();
  useLiveStream(options.stream ?? streamPathFor(pathname));
  return useLoaderData<T>();
}
