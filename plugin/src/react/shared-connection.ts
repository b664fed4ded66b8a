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
 * - A route joins the stream some time after its page loaded its data. The stream request says how
 *   old that data is, for each route it did not carry already, and the server says how long ago
 *   each one's channels last changed (see server/shared-stream.ts): a route whose data is older than
 *   that catches up once. For a route the stream carries already (another tab shows it), `missed`
 *   tells from what this connection heard.
 */
export type LiveStatus = "connecting" | "open" | "reconnecting" | "offline";

/**
 * What the connection reports: routes whose loaders must run again (`paths`: an event reached them,
 * with the `origin` of the submission that caused it if one did, or the server refused them; `null`:
 * every route, after a drop), or its new status.
 */
export type Note = { paths: string[] | null; origin?: string; to?: string } | { status: LiveStatus };

/** Stream paths of live routes, each with the time (`Date.now()`) its page's data was loaded. */
export type Paths = Record<string, number>;

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const DEAD_AFTER_HEARTBEATS = 2.5;

/** Lives as long as the page: a page that has no live route left holds no stream, only this object. */
export interface SharedConnection {
  setPaths(paths: Paths): void;
  /** Of `paths`, those the open stream carries already and that heard something after their data was loaded. */
  missed(paths: Paths): string[];
  /**
   * Closes the stream and forgets its state until the next `setPaths`, whose stream, once it
   * answers, tells every route to catch up: for a tab that will run no code for a while (frozen,
   * in the back/forward cache) or a leader that takes over from another.
   */
  pause(): void;
}

export function openSharedConnection(streamUrl: string, notify: (note: Note) => void): SharedConnection {
  let paths: string[] = [];
  let loaded: Paths = {};
  /** The routes the stream that answered last carries (until it drops). */
  let covered: string[] = [];
  /** When each route was last told to run again. */
  const heard = new Map<string, number>();
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

  /** Tells routes (`null`: every one) to run again, and notes when. */
  const tell = (changed: string[] | null, origin?: string) => {
    for (const path of changed ?? paths) heard.set(path, Date.now());
    notify({ paths: changed, origin });
  };
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
    // How old each route's data is, unless a stream carries it already: the server says what changed since.
    const ages = paths.map((path) => (covered.includes(path) ? 0 : Math.max(0, Math.round(Date.now() - loaded[path]!))));
    const url = `${streamUrl}?${paths.map((path) => `route=${encodeURIComponent(path)}`).join("&")}${ages.some(Boolean) ? `&age=${ages}` : ""}`;
    readEventStream(url, controller.signal, (event, data, origin) => {
      if (controller === current) lastActivity = Date.now();
      if (event === "message") {
        const following = channelPaths.get(data!);
        if (following) tell(following, origin);
      } else if (event === "routes") {
        const { routes, heartbeat, changed = {} } = JSON.parse(data!) as { routes: Record<string, string[] | number>; heartbeat: number; changed?: Paths };
        retryMs = FIRST_RETRY_MS;
        deadAfter = heartbeat > 0 ? heartbeat * DEAD_AFTER_HEARTBEATS : Infinity;
        channelPaths = new Map();
        covered = [];
        // Refused routes, and routes whose channels changed after their data was loaded, run again.
        const stale = Object.keys(changed).filter((path) => Date.now() - changed[path]! > loaded[path]!);
        for (const [path, result] of Object.entries(routes)) {
          if (typeof result === "number") {
            if (refused.get(path) !== result) stale.push(path);
            refused.set(path, result);
          } else {
            covered.push(path);
            refused.delete(path);
            for (const channel of result) channelPaths.set(channel, [...(channelPaths.get(channel) ?? []), path]);
          }
        }
        previous?.abort();
        previous = undefined;
        streamOpen = true;
        updateStatus();
        if (stale.length) tell(stale);
        if (dropped) tell(null);
        dropped = false;
      }
    })
      .catch(() => undefined)
      .then((retryAfter) => controller === current && retry(retryAfter));
  };

  const retry = (retryAfter: number | undefined) => {
    closeAll();
    covered = [];
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
    covered = [];
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
      const sorted = Object.keys(next).sort();
      // The same routes, none of them with older data that the stream (still opening) did not ask about.
      const same = sorted.join("\n") === paths.join("\n") && sorted.every((path) => covered.includes(path) || next[path]! >= loaded[path]!);
      loaded = next;
      if (same) return;
      paths = sorted;
      connect();
    },
    missed: (asked) => Object.keys(asked).filter((path) => covered.includes(path) && heard.get(path)! >= asked[path]!),
    pause() {
      paths = [];
      covered = [];
      connect();
      retryMs = FIRST_RETRY_MS;
      streamOpen = false;
      dropped = true;
      status = undefined;
      refused.clear();
    },
  };
}
