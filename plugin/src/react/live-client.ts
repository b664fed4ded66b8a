import { openSharedConnection, type LiveStatus, type Note, type Paths, type SharedConnection } from "./shared-connection.js";

/**
 * One connection per browser, however many tabs and live routes: the tabs of one origin elect a
 * leader with the Web Locks API; the leader holds the shared stream for the live routes open in
 * every tab and relays what it reports (a `Note`) over a BroadcastChannel. When the leader's tab
 * closes, crashes or is discarded, the browser hands the lock to another tab, which opens the
 * stream; its first event says which routes changed meanwhile, and those catch up once. A tab that
 * is frozen or kept in the back/forward cache lets go of the lead (and of the channel) until it
 * runs again. Without those APIs each tab holds its own connection.
 *
 * Besides the leader's notes, the channel carries each tab's interest (the routes it shows, with
 * when their data was loaded; `null` when it goes away) and a new leader's `hello`, which asks
 * every tab for its interest. A note `to` one tab is for that tab only: routes it just began to show
 * that the leader's stream carried already, and that heard something after their data was loaded.
 */
type Interest = { tab: string; paths: Paths | null };
type Message = Note | Interest | { hello: 1 };

/** Called for each event on a followed route (with the origin of the submission that caused it, if one did), a refusal or a missed change. */
type Listener = (origin?: string) => void;

export interface LiveClient {
  /**
   * Calls `listener` for each event on the route whose stream path is `path`, and once for a
   * change it missed (while it loaded, or while the connection was away): `loadedAt()` says when
   * the data the page shows of it was asked for (`Date.now()`). Returns an unfollow function.
   */
  follow(path: string, loadedAt: () => number, listener: Listener): () => void;
  /** The connection's status (see `useLiveStatus`). */
  status(): LiveStatus;
  onStatus(listener: () => void): () => void;
}

const clients = new Map<string, LiveClient>();
const TAKEOVER_GATHER_MS = 100;
/** How long a visible follower waits for the leader to answer before it takes the lead. */
const LEADER_SILENT_MS = 3_000;
/** How often a follower says again which routes it shows (and, when visible, checks that the leader still answers). */
const LEADER_CHECK_MS = 30_000;
/**
 * A tab the leader has not heard from for this long is gone without a word (it crashed, or the
 * browser discarded it while frozen): the stream stops carrying its routes. A tab that was only
 * frozen says what it shows when it runs again, and its routes are asked about then.
 */
const TAB_GONE_MS = 5 * 60_000;

/** The client for the shared stream at `streamUrl` (basename included), created once per page. */
export function getLiveClient(streamUrl: string): LiveClient {
  let client = clients.get(streamUrl);
  if (!client) clients.set(streamUrl, (client = createLiveClient(streamUrl)));
  return client;
}

function createLiveClient(streamUrl: string): LiveClient {
  const tab = Math.random().toString(36).slice(2);
  /**
   * The routes this tab shows: when each one's data was loaded, when it was last told to run again
   * (its data then has every change up to that moment, or will once it re-ran), and who follows it.
   */
  const following = new Map<string, { loadedAt: () => number; told: number; listeners: Set<Listener> }>();
  const own = () => {
    const paths: Paths = {};
    for (const [path, { loadedAt, told }] of following) paths[path] = Math.max(loadedAt(), told);
    return paths;
  };
  const statusListeners = new Set<() => void>();
  const statusChanged = () => statusListeners.forEach((listener) => listener());
  let status: LiveStatus = "connecting";

  // What this tab does with what the connection (its own or the leader's) reports.
  const handle = (note: Note) => {
    if (note.to && note.to !== tab) return;
    if (note.status) {
      status = note.status;
      statusChanged();
    }
    for (const path of note.paths ?? []) {
      const followed = following.get(path);
      if (!followed) continue;
      followed.told = Date.now();
      followed.listeners.forEach((listener) => listener(note.origin));
    }
  };

  // Without the browser APIs to share a connection, the tab leads its own, and posts to nobody.
  const shared = typeof BroadcastChannel == "function" && navigator.locks;
  // Versioned: tabs of an older build (open across a deploy) speak another protocol, and lead their own.
  const name = `remix-live 2 ${streamUrl}`;
  let channel: BroadcastChannel | undefined;
  let frozen = false;
  const post = (message: Message) => frozen || channel?.postMessage(message);
  /** The other tabs' routes, and when the leader last heard from each tab. */
  const interests = new Map<string, [paths: Paths, at: number]>();
  /** This tab's connection, kept (paused) while another tab leads. */
  let connection: SharedConnection | undefined;
  let leader: SharedConnection | undefined;
  let lockRequest: AbortController | undefined;
  let release = () => {};
  /** The leader said something since this tab last asked. */
  let leaderAnswered = true;

  /** Every tab's routes, each with the oldest data any tab shows of it. */
  const union = () => {
    const all = own();
    for (const [paths] of interests.values()) for (const path in paths) all[path] = Math.min(all[path] ?? Infinity, paths[path]!);
    return all;
  };
  const sendInterest = () => {
    if (!leader) return post({ tab, paths: own() });
    leader.setPaths(union());
    handle({ paths: leader.missed(own()) });
  };

  const receive = ({ data }: MessageEvent<Message>) => {
    if (!leader) {
      if (!("tab" in data)) leaderAnswered = true;
      if ("hello" in data) sendInterest();
      // What the leader relays, or its answer to this tab's interest.
      else if (!("tab" in data)) handle(data);
    } else if ("tab" in data) {
      if (data.paths) interests.set(data.tab, [data.paths, Date.now()]);
      else interests.delete(data.tab);
      leader.setPaths(union());
      // The status, and the routes the stream carried already that changed after that tab's data was loaded.
      if (data.paths) post({ status, paths: leader.missed(data.paths), to: data.tab });
    }
  };
  const relay = (note: Note) => {
    handle(note);
    post(note);
    // Every tab showing those routes is told: its data is as fresh as now, or will be.
    const now = Date.now();
    for (const [paths] of interests.values()) for (const path of note.paths ?? []) if (path in paths) paths[path] = now;
  };
  const lead = () => {
    // This tab leads until it goes away; the browser then hands the lock to another tab.
    leader = connection ??= openSharedConnection(streamUrl, relay);
    interests.clear();
    post({ hello: 1 });
    // Taking over from a leader whose connection the tabs saw: until this one is open, it is reconnecting.
    const takingOver = status !== "connecting";
    if (takingOver) leader.pause();
    // Give the other tabs a moment to say which routes they show, so that the first stream
    // covers them too, and asks the server what changed for them while no stream carried them.
    setTimeout(() => leader?.setPaths(union()), takingOver ? TAKEOVER_GATHER_MS : 0);
  };
  /**
   * Asks for the lead, waiting for it; or, with `steal`, takes it from a leader that stopped
   * answering: a page the browser suspended without a `freeze` event (iOS Safari does that to
   * background tabs) keeps the lock and runs no code.
   */
  const requestLock = (steal?: boolean) => {
    lockRequest?.abort();
    const request = (lockRequest = new AbortController());
    navigator.locks
      .request(name, steal ? { steal } : { signal: request.signal }, () => {
        // Granted as this tab froze (a steal carries no signal, but its controller is aborted
        // too): let go at once, for the next tab waiting.
        if (request.signal.aborted) return;
        lead();
        return new Promise<void>((resolve) => (release = resolve));
      })
      .catch(() => {
        // Taken by a tab that found this one silent: follow it, and check that it answers (it may
        // be the one suspended now). The lock may have been taken before its callback ran: asking
        // again aborts this request's controller, so that a late callback leads nothing.
        if (request !== lockRequest || frozen) return;
        leader?.pause();
        leader = undefined;
        requestLock();
        sendInterest();
        checkLeader();
      });
  };
  /** Running again (or for the first time): lead or follow again. */
  const thaw = () => {
    if (!shared) return lead();
    channel = new BroadcastChannel(name);
    channel.onmessage = receive;
    requestLock();
  };
  thaw();
  // A visible follower checks that the leader still answers (it answers every interest).
  const checkLeader = () => {
    if (leader || frozen || document.visibilityState !== "visible") return;
    leaderAnswered = false;
    sendInterest();
    setTimeout(() => leaderAnswered || leader || frozen || requestLock(true), LEADER_SILENT_MS);
  };
  document.addEventListener("visibilitychange", checkLeader);
  setInterval(() => {
    if (frozen) return;
    if (!leader) return document.visibilityState === "visible" ? checkLeader() : sendInterest();
    // The leader forgets the tabs it no longer hears from.
    let forgot = false;
    for (const [other, [, at]] of interests) if (Date.now() - at > TAB_GONE_MS) forgot = interests.delete(other);
    if (forgot) leader.setPaths(union());
  }, LEADER_CHECK_MS);

  // A page in the back/forward cache, or one the browser froze in the background, runs no code: it
  // lets go of its stream and lead until it runs again, then catches up on what changed meanwhile.
  // A frozen follower stays in the leader's set, so that the stream still follows its routes when
  // it comes back, and the leader can say what they missed. (A frozen leader cannot answer the
  // next leader's `hello`: its routes are followed again once it says what it shows.)
  // A page that closes keeps the lead until the browser releases it with the page: handing it over
  // at `pagehide` made the next tab open a stream while the whole window was closing.
  const onFreeze = () => {
    if (frozen) return;
    // A message to a page in the back/forward cache would make the browser evict it.
    channel?.close();
    lockRequest?.abort();
    leader?.pause();
    leader = undefined;
    release();
    frozen = true;
  };
  const onResume = () => {
    if (!frozen) return;
    frozen = false;
    thaw();
    sendInterest();
  };
  // A closing tab's last word.
  addEventListener("pagehide", (event) => (event.persisted ? onFreeze() : post({ tab, paths: null })));
  addEventListener("pageshow", onResume);
  document.addEventListener("freeze", onFreeze);
  document.addEventListener("resume", onResume);

  // The live routes of one page mount and unmount in one go: tell the connection once they have.
  let interestQueued = false;
  const interestChanged = () => {
    if (interestQueued) return;
    interestQueued = true;
    setTimeout(() => {
      interestQueued = false;
      sendInterest();
    });
  };

  return {
    follow(path, loadedAt, listener) {
      let followed = following.get(path);
      if (!followed) {
        following.set(path, (followed = { loadedAt, told: 0, listeners: new Set() }));
        interestChanged();
      }
      // A fresh function per call: two followers passing the same callback must not share one slot.
      const mine: Listener = (origin) => listener(origin);
      const { listeners } = followed;
      listeners.add(mine);
      return () => {
        listeners.delete(mine);
        if (listeners.size) return;
        following.delete(path);
        interestChanged();
      };
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}
