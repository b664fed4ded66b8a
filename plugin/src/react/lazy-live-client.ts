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

/** How long after a failed load of the connection's chunk the page first asks again; each failure doubles it. */
const FIRST_RETRY_MS = 2_000;

function createLazyClient(streamUrl: string): LiveClient {
  let loaded: LiveClient | undefined;
  let following = 0;
  let retryMs = FIRST_RETRY_MS;
  /** The routes followed before the connection's chunk loaded: each starts following once it has. */
  const waiting = new Set<(client: LiveClient) => void>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  addEventListener("online", changed);
  addEventListener("offline", changed);
  const count = (step: number) => {
    following += step;
    // The status changes between the connection's and the browser's.
    if (following < 2) changed();
  };
  const connect = () =>
    // The parentheses keep Vite from wrapping the import in its preload helper (about 570 B in
    // the route's bundle), which has nothing to preload for a chunk without imports or CSS;
    // bundlers still resolve the string.
    (load ??= import(/* @vite-ignore */ ("./live-client.js"))).then(
      ({ getLiveClient }: LiveClientModule) => {
        const client = (loaded ??= getLiveClient(streamUrl));
        client.onStatus(changed);
        waiting.forEach((start) => start(client));
        waiting.clear();
        changed();
      },
      // Not loaded (the network failed, or a deploy removed the chunk this page knows): asked
      // again while a route waits for it. Meanwhile the status stays `connecting`.
      () => {
        load = undefined;
        setTimeout(() => waiting.size && connect(), (retryMs *= 2) / 2);
      },
    );
  return {
    follow(path, loadedAt, listener) {
      let unfollow: (() => void) | undefined;
      let followed = true;
      const start = (client: LiveClient) => (unfollow = client.follow(path, loadedAt, listener));
      count(1);
      if (loaded) start(loaded);
      else if (waiting.add(start).size === 1) connect();
      return () => {
        if (!followed) return;
        followed = false;
        waiting.delete(start);
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
