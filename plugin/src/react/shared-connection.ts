import { readEventStream, type StreamEnd } from "./event-stream-reader.js";

/**
 * One connection to the shared stream for a set of live routes (their stream paths), reopened
 * when the set changes, and kept alive however the network behaves:
 *
 * - A drop is retried with a growing, jittered delay (1 s doubling to 30 s, each between half and
 *   one and a half times that), forever: 10,000 tabs that lose the server together come back spread
 *   over time, not in the same second. A refusal's `Retry-After` (the stream cap's 503) is honoured.
 * - After a drop, followers are told to catch up once (`onResync`): events sent meanwhile are gone.
 * - A stream that has heard nothing, not even a heartbeat, for 2.5 heartbeat intervals is dead
 *   (a laptop that slept, a socket the phone dropped in the background) and is reopened.
 * - A page that comes back (visible again, from the back/forward cache, online, resumed) checks
 *   its stream at once instead of waiting for the next retry.
 */
export type LiveStatus = "connecting" | "open" | "reconnecting" | "offline";

export interface ConnectionHandlers {
  /** An event reached these routes; `origin` names the submission that caused it, if one did. */
  onPaths(paths: string[], origin?: string): void;
  /** The server refused this route (401, 403, 404, a redirect's 3xx). */
  onRefused(path: string, status: number): void;
  /** The stream is back after a drop: every route may have missed events. */
  onResync(): void;
  onStatus(status: LiveStatus): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const DEAD_AFTER_HEARTBEATS = 2.5;

/** Lives as long as the page: a page that has no live route left holds no stream, only this object. */
export interface SharedConnection {
  setPaths(paths: readonly string[]): void;
}

export function openSharedConnection(streamUrl: string, handlers: ConnectionHandlers): SharedConnection {
  let paths: string[] = [];
  let current: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = FIRST_RETRY_MS;
  let dropped = false;
  let lastActivity = 0;
  let deadAfter = Infinity;
  let status: LiveStatus | null = null;
  /** The current stream has answered (its routes event arrived). */
  let streamOpen = false;
  const channelPaths = new Map<string, string[]>();
  const refused = new Map<string, number>();

  const setStatus = (next: LiveStatus) => {
    if (next !== status) handlers.onStatus((status = next));
  };

  /** A stream still open for the previous set of routes, until the new one is up. */
  let previous: AbortController | null = null;

  /** Opens the stream for `paths`; a stream still open for the old set closes once the new one is up, so no event falls between. */
  const connect = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    // Only the newest old stream is kept for the overlap; any older one goes now.
    previous?.abort();
    previous = current;
    if (paths.length === 0) {
      previous?.abort();
      previous = current = null;
      return;
    }
    const controller = new AbortController();
    current = controller;
    // A new attempt is not dead before it had the time to answer.
    lastActivity = Date.now();
    if (!previous) streamOpen = false;
    if (status !== "open") setStatus(!navigator.onLine ? "offline" : dropped ? "reconnecting" : "connecting");
    const url = `${streamUrl}?${paths.map((path) => `route=${encodeURIComponent(path)}`).join("&")}`;
    readEventStream(url, controller.signal, {
      onActivity() {
        if (controller === current) lastActivity = Date.now();
      },
      onRoutes(routes, heartbeatMs) {
        retryMs = FIRST_RETRY_MS;
        deadAfter = heartbeatMs > 0 ? heartbeatMs * DEAD_AFTER_HEARTBEATS : Infinity;
        channelPaths.clear();
        for (const [path, result] of Object.entries(routes)) {
          if (typeof result === "number") {
            if (refused.get(path) !== result) handlers.onRefused(path, result);
            refused.set(path, result);
            continue;
          }
          refused.delete(path);
          for (const channel of result) channelPaths.set(channel, [...(channelPaths.get(channel) ?? []), path]);
        }
        previous?.abort();
        previous = null;
        streamOpen = true;
        setStatus(navigator.onLine ? "open" : "offline");
        if (dropped) {
          dropped = false;
          handlers.onResync();
        }
      },
      onEvent(channel, origin) {
        const following = channelPaths.get(channel);
        if (following) handlers.onPaths(following, origin);
      },
    }).then(
      (end) => controller === current && retry(end),
      () => controller === current && retry({ refused: false }),
    );
  };

  const retry = (end: StreamEnd) => {
    previous?.abort();
    previous = current = null;
    streamOpen = false;
    dropped = true;
    setStatus(navigator.onLine ? "reconnecting" : "offline");
    const jittered = retryMs * (0.5 + Math.random());
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(connect, end.refused && end.retryAfter !== null ? end.retryAfter : jittered);
  };

  /** A stream silent for too long is dead (the socket is gone without an error): reopen it. */
  const reopenIfDead = () => {
    if (!current || Date.now() - lastActivity <= deadAfter) return false;
    current.abort();
    current = null;
    dropped = true;
    connect();
    return true;
  };
  // A page that comes back checks its stream now: a dead one is reopened, a dropped one retried at once.
  const check = () => {
    if (paths.length === 0 || !navigator.onLine || reopenIfDead() || current) return;
    retryMs = FIRST_RETRY_MS;
    connect();
  };
  const onVisible = () => document.visibilityState === "visible" && check();
  const onOnline = () => {
    if (current) setStatus(streamOpen ? "open" : dropped ? "reconnecting" : "connecting");
    check();
  };
  addEventListener("online", onOnline);
  addEventListener("offline", () => setStatus("offline"));
  addEventListener("pageshow", check);
  document.addEventListener("visibilitychange", onVisible);
  document.addEventListener("resume", check);
  setInterval(reopenIfDead, 5_000);

  return {
    setPaths(next) {
      const sorted = [...new Set(next)].sort();
      if (sorted.join("\n") === paths.join("\n")) return;
      paths = sorted;
      connect();
    },
  };
}
