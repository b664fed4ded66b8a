import type { LiveClient } from "./live-client.js";
import type { LiveStatus } from "./shared-connection.js";

/**
 * The page's live client, loaded when the page first follows a live route: the connection and the
 * leader tab (most of the runtime) stay out of the route's bundle and off the page's critical path,
 * and a page that only shows `useLiveStatus()` never loads them. Until then, and whenever the page
 * shows no live route, the status is `open` (`offline` while the browser is), or `connecting` while
 * a route waits for the connection.
 */
const clients = new Map<string, LiveClient>();
type LiveClientModule = typeof import("./live-client.js");
let load: Promise<LiveClientModule> | undefined;

export function getLiveClient(streamUrl: string): LiveClient {
  let client = clients.get(streamUrl);
  if (!client) clients.set(streamUrl, (client = createLazyClient(streamUrl)));
  return client;
}

function createLazyClient(streamUrl: string): LiveClient {
  let loaded: LiveClient | undefined;
  let following = 0;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  addEventListener("online", changed);
  addEventListener("offline", changed);
  const count = (step: number) => {
    following += step;
    // The status changes between the connection's and the browser's.
    if (following < 2) changed();
  };
  return {
    follow(path, loadedAt, listener) {
      let unfollow: (() => void) | undefined;
      let followed = true;
      count(1);
      // The parentheses keep Vite from wrapping the import in its preload helper (about 570 B in
      // the route's bundle), which has nothing to preload for a chunk without imports or CSS;
      // bundlers still resolve the string.
      (load ??= import(/* @vite-ignore */ ("./live-client.js"))).then(
        ({ getLiveClient }: LiveClientModule) => {
          if (!loaded) {
            loaded = getLiveClient(streamUrl);
            loaded.onStatus(changed);
          }
          if (followed) unfollow = loaded.follow(path, loadedAt, listener);
          changed();
        },
        // Not loaded (the network failed, or a deploy removed the chunk this page knows): the next
        // route the page follows asks again. Meanwhile the status stays `connecting`.
        () => (load = undefined),
      );
      return () => {
        if (!followed) return;
        followed = false;
        unfollow?.();
        count(-1);
      };
    },
    status: (): LiveStatus => (following ? (loaded?.status() ?? "connecting") : navigator.onLine ? "open" : "offline"),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
