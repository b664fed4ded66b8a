import { openSharedConnection, type LiveStatus, type Note, type Paths, type SharedConnection } from "./shared-connection.js";

/**
 * One connection per browser, however many tabs and live routes: the tabs of one origin elect a
 * leader with the Web Locks API; the leader holds the shared stream for the live routes open in
 * every tab and relays what it reports (a `Note`) over a BroadcastChannel. When the leader's tab
 * closes, crashes or is discarded, the browser hands the lock to another tab, which opens the
 * stream and tells every tab to catch up once. A tab that is frozen or kept in the back/forward
 * cache lets go of the lead (and of the channel) until it runs again. Without those APIs each tab
 * holds its own connection.
 *
 * Besides the leader's notes, the channel carries each tab's interest (the routes it shows, with
 * when their data was loaded; `null` when it goes away) and a new leader's `hello`, which asks
 * every tab for its interest. A note `to` one tab is for that tab only: routes it just began to show
 * that the leader's stream carried already, and that heard something after their data was loaded.
 */
type Interest = { tab: string; paths: Paths | null };
type Message = Note | Interest | { hello: 1 };

/** Called for each event on a followed route (with the origin of the submission that caused it, if one did), a refusal or a catch-up. */
type Listener = (origin?: string) => void;

export interface LiveClient {
  /**
   * Calls `listener` for each event on the route whose stream path is `path`, whose data was
   * loaded at `loadedAt` (`Date.now()`), and once if it changed meanwhile; returns an unfollow function.
   */
  follow(path: string, loadedAt: number, listener: Listener): () => void;
  status(): LiveStatus;
  onStatus(listener: () => void): () => void;
}

const clients = new Map<string, LiveClient>();
const TAKEOVER_GATHER_MS = 100;

/** The client for the shared stream at `streamUrl` (basename included), created once per page. */
export function getLiveClient(streamUrl: string): LiveClient {
  let client = clients.get(streamUrl);
  if (!client) clients.set(streamUrl, (client = createLiveClient(streamUrl)));
  return client;
}

function createLiveClient(streamUrl: string): LiveClient {
  const tab = Math.random().toString(36).slice(2);
  const following = new Map<string, Set<Listener>>();
  /** The routes this tab shows, with when their data was loaded. */
  const own: Paths = {};
  const statusListeners = new Set<() => void>();
  let status: LiveStatus = "connecting";

  // What this tab does with what the connection (its own or the leader's) reports.
  const handle = (note: Note) => {
    if ("to" in note && note.to !== tab) return;
    if ("status" in note) {
      status = note.status;
      statusListeners.forEach((listener) => listener());
    } else {
      for (const path of note.paths ?? following.keys()) following.get(path)?.forEach((listener) => listener(note.origin));
    }
  };

  let sendInterest: () => void;
  /** A frozen tab must hold no stream, and not the lead. */
  let freeze: () => void;
  /** A closing tab's last word. */
  let bye = () => {};
  /** Running again: lead or follow again. */
  let thaw = () => {};
  let frozen = false;
  if (typeof BroadcastChannel !== "function" || !navigator.locks) {
    const connection = openSharedConnection(streamUrl, handle);
    sendInterest = () => {
      connection.setPaths({ ...own });
      handle({ paths: connection.missed(own) });
    };
    freeze = () => connection.pause();
  } else {
    const name = `remix-live ${streamUrl}`;
    let channel: BroadcastChannel;
    const post = (message: Message) => frozen || channel.postMessage(message);
    const interests = new Map<string, Paths>();
    /** This tab's connection, kept (paused) while another tab leads. */
    let connection: SharedConnection | undefined;
    let leader: SharedConnection | undefined;
    let sawLeader = false;
    /** Back from a freeze as a follower: catch up once the leader answers this tab's interest. */
    let resumed = false;
    let lockRequest: AbortController;
    let release = () => {};

    /** Every tab's routes, each with the oldest data any tab shows of it. */
    const union = () => {
      const all = { ...own };
      for (const paths of interests.values()) for (const path in paths) all[path] = Math.min(all[path] ?? Infinity, paths[path]!);
      return all;
    };
    sendInterest = () => {
      if (!leader) return post({ tab, paths: { ...own } });
      leader.setPaths(union());
      handle({ paths: leader.missed(own) });
    };

    const receive = ({ data }: MessageEvent<Message>) => {
      if (leader) {
        if (!("tab" in data)) return;
        if (data.paths) interests.set(data.tab, data.paths);
        else interests.delete(data.tab);
        leader.setPaths(union());
        post({ status });
        if (data.paths) post({ paths: leader.missed(data.paths), to: data.tab });
      } else {
        sawLeader = true;
        if ("hello" in data) sendInterest();
        else if (!("tab" in data)) {
          // The leader's answer to this tab's interest, or what it relays: it follows this tab's routes.
          if (resumed) handle({ paths: null });
          resumed = false;
          handle(data);
        }
      }
    };
    const relay = (note: Note) => {
      handle(note);
      post(note);
    };
    thaw = () => {
      channel = new BroadcastChannel(name);
      channel.onmessage = receive;
      const request = (lockRequest = new AbortController());
      navigator.locks
        .request(name, { signal: request.signal }, () => {
          // Granted as this tab froze: let go at once.
          if (request.signal.aborted) return;
          // This tab leads until it goes away; the browser then hands the lock to another tab.
          leader = connection ??= openSharedConnection(streamUrl, relay);
          interests.clear();
          // Taking over from another leader (or back from a freeze): events may have been missed,
          // and every tab catches up once the first stream answers.
          const takingOver = sawLeader || resumed;
          resumed = false;
          if (takingOver) leader.pause();
          post({ hello: 1 });
          // Give the other tabs a moment to say which routes they show, so that the first stream
          // (and the catch-up that follows it) covers them too.
          setTimeout(() => leader?.setPaths(union()), takingOver ? TAKEOVER_GATHER_MS : 0);
          return new Promise<void>((resolve) => (release = resolve));
        })
        .catch(() => {});
    };
    thaw();
    bye = () => post({ tab, paths: null });
    // A frozen follower stays in the leader's set, so that the stream still follows its routes when
    // it comes back: its catch-up then misses nothing. (A frozen leader cannot answer the next
    // leader's `hello`: its routes are followed again once it says what it shows.)
    freeze = () => {
      // A message to a page in the back/forward cache would make the browser evict it.
      channel.close();
      lockRequest.abort();
      leader?.pause();
      leader = undefined;
      release();
      resumed = true;
    };
  }
  // A page in the back/forward cache, or one the browser froze in the background, runs no code: it
  // lets go of its stream and lead until it runs again, then catches up, since events may have come.
  // A page that closes keeps the lead until the browser releases it with the page: handing it over
  // at `pagehide` made the next tab open a stream while the whole window was closing.
  const onFreeze = () => {
    if (frozen) return;
    freeze();
    frozen = true;
  };
  const onResume = () => {
    if (!frozen) return;
    frozen = false;
    thaw();
    sendInterest();
  };
  addEventListener("pagehide", (event) => (event.persisted ? onFreeze() : bye()));
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
      const listeners = following.get(path) ?? new Set();
      if (!listeners.size) {
        following.set(path, listeners);
        own[path] = loadedAt;
        interestChanged();
      }
      // A fresh function per call: two followers passing the same callback must not share one slot.
      const mine: Listener = (origin) => listener(origin);
      listeners.add(mine);
      return () => {
        listeners.delete(mine);
        if (listeners.size) return;
        following.delete(path);
        delete own[path];
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
