import { readEventStream } from "./event-stream-reader.js";

/**
 * One connection to the shared stream for a set of live routes (their stream paths), reopened
 * when the set changes, and kept alive however the network behaves:
 *
 * - A drop is retried with a growing, jittered delay (1 s doubling to 30 s, each between half and
 *   one and a half times that), forever: 10,000 tabs that lose the server together come back spread
 *   over time, not in the same second. A refusal's `Retry-After` (the stream cap's 503) is added
 *   to that delay.
 * - After a drop, every route is told to catch up once: events sent meanwhile are gone.
 * - A stream that has heard nothing, not even a heartbeat, for 2.5 heartbeat intervals is dead
 *   (a laptop that slept, a socket the phone dropped in the background) and is reopened.
 * - A page that comes back (visible again, online) checks its stream at once instead of waiting
 *   for the next retry. (A page frozen or kept in the back/forward cache holds no stream: see
 *   live-client.ts.)
 */
export type LiveStatus = "connecting" | "open" | "reconnecting" | "offline";

/**
 * What the connection reports: routes whose loaders must run again (`paths`: an event reached them,
 * with the `origin` of the submission that caused it if one did, or the server refused them; `null`:
 * every route, after a drop), or its new status.
 */
export type Note = { paths: string[] | null; origin?: string } | { status: LiveStatus };

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const DEAD_AFTER_HEARTBEATS = 2.5;

/** Lives as long as the page: a page that has no live route left holds no stream, only this object. */
export interface SharedConnection {
  setPaths(paths: readonly string[]): void;
  /**
   * Closes the stream and forgets its state until the next `setPaths`, whose stream, once it
   * answers, tells every route to catch up: for a tab that will run no code for a while (frozen,
   * in the back/forward cache) or a leader that takes over from another.
   */
  pause(): void;
}

export function openSharedConnection(streamUrl: string, notify: (note: Note) => void): SharedConnection {
  let paths: string[] = [];
  let current: AbortController | undefined;
  /** A stream still open for the previous set of routes, until the new one is up. */
  let previous: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = FIRST_RETRY_MS;
  let dropped = false;
  let lastActivity = 0;
  let deadAfter = Infinity;
  let status: LiveStatus | undefined;
  /** The current stream has answered (its routes event arrived). */
  let streamOpen = false;
  let channelPaths = new Map<string, string[]>();
  /** The status each refused route got, to report a refusal once. */
  const refused = new Map<string, number>();

  /** Reports the status the state now says, when it changed. */
  const updateStatus = () => {
    const next: LiveStatus = !navigator.onLine ? "offline" : streamOpen ? "open" : dropped ? "reconnecting" : "connecting";
    if (next !== status) notify({ status: (status = next) });
  };
  const closeAll = () => {
    previous?.abort();
    previous = current = undefined;
  };

  /** Opens the stream for `paths`; a stream still open for the old set closes once the new one is up, so no event falls between. */
  const connect = () => {
    clearTimeout(retryTimer);
    // Only the newest old stream is kept for the overlap; any older one goes now.
    previous?.abort();
    previous = current;
    if (!paths.length) return closeAll();
    const controller = (current = new AbortController());
    // A new attempt is not dead before it had the time to answer.
    lastActivity = Date.now();
    // While the old stream is open for the overlap, the page is still live.
    if (!previous) streamOpen = false;
    updateStatus();
    const url = `${streamUrl}?${paths.map((path) => `route=${encodeURIComponent(path)}`).join("&")}`;
    readEventStream(url, controller.signal, (event, data, origin) => {
      if (controller === current) lastActivity = Date.now();
      if (event === "message") {
        const following = channelPaths.get(data!);
        if (following) notify({ paths: following, origin });
      } else if (event === "routes") {
        const { routes, heartbeat } = JSON.parse(data!) as { routes: Record<string, string[] | number>; heartbeat: number };
        retryMs = FIRST_RETRY_MS;
        deadAfter = heartbeat > 0 ? heartbeat * DEAD_AFTER_HEARTBEATS : Infinity;
        channelPaths = new Map();
        const newlyRefused: string[] = [];
        for (const [path, result] of Object.entries(routes)) {
          if (typeof result === "number") {
            if (refused.get(path) !== result) newlyRefused.push(path);
            refused.set(path, result);
          } else {
            refused.delete(path);
            for (const channel of result) channelPaths.set(channel, [...(channelPaths.get(channel) ?? []), path]);
          }
        }
        previous?.abort();
        previous = undefined;
        streamOpen = true;
        updateStatus();
        if (newlyRefused.length) notify({ paths: newlyRefused });
        if (dropped) notify({ paths: null });
        dropped = false;
      }
    })
      .catch(() => undefined)
      .then((retryAfter) => controller === current && retry(retryAfter));
  };

  const retry = (retryAfter: number | undefined) => {
    closeAll();
    streamOpen = false;
    dropped = true;
    updateStatus();
    // A refusal's Retry-After is the least wait; the growing, jittered delay comes on top of it.
    retryTimer = setTimeout(connect, (retryAfter ?? 0) + retryMs * (0.5 + Math.random()));
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  /** A stream silent for too long is dead (the socket is gone without an error): reopen it. */
  const reopenIfDead = () => {
    if (!current || Date.now() - lastActivity <= deadAfter) return false;
    current.abort();
    current = undefined;
    dropped = true;
    // The page may be stale until the new stream answers.
    streamOpen = false;
    connect();
    return true;
  };
  // A page that comes back checks its stream now: a dead one is reopened, a dropped one retried at once.
  const check = () => {
    if (!paths.length || !navigator.onLine || reopenIfDead() || current) return;
    retryMs = FIRST_RETRY_MS;
    connect();
  };
  // A connection with no routes (paused, or a leader whose tabs show none) reports nothing.
  addEventListener("online", () => {
    if (paths.length) updateStatus();
    check();
  });
  addEventListener("offline", () => paths.length && updateStatus());
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && check());
  setInterval(reopenIfDead, 5_000);

  return {
    setPaths(next) {
      const sorted = [...new Set(next)].sort();
      if (sorted.join("\n") === paths.join("\n")) return;
      paths = sorted;
      connect();
    },
    pause() {
      paths = [];
      connect();
      retryMs = FIRST_RETRY_MS;
      streamOpen = false;
      dropped = true;
      status = undefined;
      refused.clear();
    },
  };
}
