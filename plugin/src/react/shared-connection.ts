import { readEventStream } from "./event-stream-reader.js";

/**
 * One connection to the shared stream for a set of live routes (their stream paths), reopened
 * when the set changes, and kept alive however the network behaves:
 *
 * - A drop is retried with a growing, jittered delay (1 s doubling to 30 s, each between half and
 *   one and a half times that), forever: 10,000 tabs that lose the server together come back spread
 *   over time, not in the same second. A refusal's `Retry-After` (the stream cap's 503) is added
 *   to that delay.
 * - A stream that has heard nothing, not even a heartbeat, for 2.5 heartbeat intervals is dead
 *   (a laptop that slept, a socket the phone dropped in the background) and is reopened.
 * - A page that comes back (visible again, online) checks its stream at once instead of waiting
 *   for the next retry. (A page frozen or kept in the back/forward cache holds no stream: see
 *   live-client.ts.)
 * - Every stream asks the server about the routes it did not carry already: a route that joins a
 *   while after its page loaded its data, and every route after a drop, a dead stream or a
 *   takeover. It says how old each one's data is (its page's load, or the last change it was told
 *   of, after which the page revalidated), and the server says how long ago each one's channels
 *   last changed (see server/shared-stream.ts): a route whose data is older than that catches up
 *   once, and only such a route. For a route the stream carries already (another tab shows it),
 *   `missed` answers from the changes this connection knows of.
 */
export type LiveStatus = "connecting" | "open" | "reconnecting" | "offline";

/**
 * What the connection reports: routes whose loaders must run again (`paths`: an event reached them,
 * with the `origin` of the submission that caused it if one did, they changed while the stream did
 * not carry them, or the server refused them), or its new status. A leader relays these to the
 * other tabs, and addresses some `to` one of them.
 */
export type Note = { paths?: string[]; origin?: string; status?: LiveStatus; to?: string };

/** Stream paths of live routes, each with the time (`Date.now()`) its page's data was loaded. */
export type Paths = Record<string, number>;

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const DEAD_AFTER_HEARTBEATS = 2.5;

/** Lives as long as the page: a page that has no live route left holds no stream, only this object. */
export interface SharedConnection {
  /** The routes to carry, each with the oldest data any tab shows of it (the connection moves that on as it tells them of changes). */
  setPaths(paths: Paths): void;
  /**
   * Of `paths`, those the open stream carries already and that changed after their data was loaded
   * (a change heard in the same millisecond as a data request was sent is in that data: the request
   * reached the server after the emit).
   */
  missed(paths: Paths): string[];
  /**
   * Closes the stream and forgets its state until the next `setPaths`: for a tab that will run no
   * code for a while (frozen, in the back/forward cache).
   */
  pause(): void;
}

export function openSharedConnection(streamUrl: string, notify: (note: Note) => void): SharedConnection {
  let paths: string[] = [];
  let loaded: Paths = {};
  /** The routes the open stream that answered carries. */
  let covered: string[] = [];
  /** The last change known for each route the stream carries: when it was told to run again, or what a stream's first event said. */
  const heard = new Map<string, number>();
  /** The newest stream. */
  let current: AbortController | undefined;
  /** The stream that answered, open until a newer one answers, so that no event falls between. */
  let answered: AbortController | undefined;
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

  /**
   * Tells routes to run again, and notes when: every tab showing them is told, so their data is
   * then as fresh as this moment (or will be once they re-ran).
   */
  const tell = (changed: string[], origin?: string) => {
    const now = Date.now();
    for (const path of changed) {
      heard.set(path, now);
      if (path in loaded) loaded[path] = now;
    }
    notify({ paths: changed, origin });
  };
  /** Reports the status the state now says, when it changed. */
  const updateStatus = () => {
    const next: LiveStatus = !navigator.onLine ? "offline" : streamOpen ? "open" : dropped ? "reconnecting" : "connecting";
    if (next !== status) notify({ status: (status = next) });
  };
  const closeAll = () => {
    answered?.abort();
    current?.abort();
    answered = current = undefined;
    covered = [];
  };

  /** Opens the stream for `paths`; the stream that answered for the old set closes once the new one is up. */
  const connect = () => {
    clearTimeout(retryTimer);
    // A stream still opening was for a set no longer wanted.
    if (current !== answered) current?.abort();
    current = undefined;
    if (!paths.length) return closeAll();
    const controller = (current = new AbortController());
    // A new attempt is not dead before it had the time to answer.
    lastActivity = Date.now();
    // While the old stream is open for the overlap, the page is still live.
    if (!answered) streamOpen = false;
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
        const stale: string[] = [];
        for (const path in changed) {
          const at = Date.now() - changed[path]!;
          if (at > loaded[path]!) stale.push(path);
          else heard.set(path, Math.max(at, heard.get(path) ?? 0));
        }
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
        if (answered !== controller) answered?.abort();
        answered = controller;
        streamOpen = true;
        updateStatus();
        if (stale.length) tell(stale);
        dropped = false;
      }
    })
      .catch(() => undefined)
      .then((retryAfter) => {
        if (controller === current) retry(retryAfter);
        // The old stream dropped while the new one opens, which asked nothing about the routes the
        // old one carried: ask again.
        else if (controller === answered) {
          answered = undefined;
          covered = [];
          connect();
        }
      });
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
    closeAll();
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
      // What was heard for a route that leaves is no longer known when it comes back.
      for (const path of heard.keys()) if (!(path in next)) heard.delete(path);
      if (same) return;
      paths = sorted;
      connect();
    },
    missed: (asked) => Object.keys(asked).filter((path) => covered.includes(path) && heard.get(path)! > asked[path]!),
    pause() {
      paths = [];
      heard.clear();
      connect();
      retryMs = FIRST_RETRY_MS;
      streamOpen = false;
      dropped = true;
      status = undefined;
      refused.clear();
    },
  };
}
