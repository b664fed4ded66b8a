import { openSharedConnection, type ConnectionHandlers, type LiveStatus, type SharedConnection } from "./shared-connection.js";

/**
 * One connection per browser, however many tabs and live routes: the tabs of one origin elect a
 * leader with the Web Locks API; the leader holds the shared stream for the live routes open in
 * every tab and relays what it hears over a BroadcastChannel. When the leader's tab closes, crashes
 * or is discarded, the browser hands the lock to another tab, which opens the stream and tells every
 * tab to catch up once. Without those APIs each tab holds its own connection.
 *
 * Tabs tell the leader which routes they show (`interest`); the leader answers with events for
 * routes (`paths`), refusals, catch-ups (`resync`) and the connection's status.
 */
type Message =
  | { t: "interest"; tab: string; paths: string[] }
  | { t: "bye"; tab: string }
  | { t: "hello" }
  | { t: "paths"; paths: string[]; origin?: string }
  | { t: "refused"; path: string; status: number }
  | { t: "resync" }
  | { t: "status"; status: LiveStatus };

/** `origin`: the submission that caused an event, if one did. */
type Listener = (event: "event" | "refused" | "resync", origin?: string) => void;

export interface LiveClient {
  /** Calls `listener` for each event on the route whose stream path is `path`; returns an unfollow function. */
  follow(path: string, listener: Listener): () => void;
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
  const statusListeners = new Set<() => void>();
  let status: LiveStatus = "connecting";

  const notify = (path: string, event: Parameters<Listener>[0], origin?: string) => following.get(path)?.forEach((listener) => listener(event, origin));
  const setStatus = (next: LiveStatus) => {
    status = next;
    statusListeners.forEach((listener) => listener());
  };
  // What this tab does with what the connection (its own or the leader's) reports.
  const local: ConnectionHandlers = {
    onPaths: (paths, origin) => paths.forEach((path) => notify(path, "event", origin)),
    onRefused: (path) => notify(path, "refused"),
    onResync: () => following.forEach((_, path) => notify(path, "resync")),
    onStatus: setStatus,
  };

  let sendInterest = () => {};
  const canShare = typeof BroadcastChannel === "function" && typeof navigator !== "undefined" && !!navigator.locks;
  if (!canShare) {
    const connection = openSharedConnection(streamUrl, local);
    sendInterest = () => connection.setPaths([...following.keys()]);
  } else {
    const channel = new BroadcastChannel(`remix-live ${streamUrl}`);
    const post = (message: Message) => channel.postMessage(message);
    const interests = new Map<string, string[]>();
    let leader: SharedConnection | null = null;
    let sawLeader = false;

    const union = () => [...new Set([...following.keys(), ...[...interests.values()].flat()])];
    sendInterest = () => {
      if (leader) leader.setPaths(union());
      else post({ t: "interest", tab, paths: [...following.keys()] });
    };

    channel.onmessage = ({ data }: MessageEvent<Message>) => {
      if (leader) {
        if (data.t === "interest") interests.set(data.tab, data.paths);
        else if (data.t === "bye") interests.delete(data.tab);
        else return;
        leader.setPaths(union());
        post({ t: "status", status });
        return;
      }
      sawLeader = true;
      if (data.t === "hello") sendInterest();
      else if (data.t === "paths") local.onPaths(data.paths, data.origin);
      else if (data.t === "refused") local.onRefused(data.path, data.status);
      else if (data.t === "resync") local.onResync();
      else if (data.t === "status") setStatus(data.status);
    };

    void navigator.locks.request(`remix-live ${streamUrl}`, () => {
      // This tab leads until it goes away; the browser then hands the lock to another tab.
      const takingOver = sawLeader;
      let resynced = false;
      leader = openSharedConnection(streamUrl, {
        onPaths(paths, origin) {
          local.onPaths(paths, origin);
          post({ t: "paths", paths, origin });
        },
        onRefused(path, code) {
          local.onRefused(path, code);
          post({ t: "refused", path, status: code });
        },
        onResync() {
          local.onResync();
          post({ t: "resync" });
        },
        onStatus(next) {
          local.onStatus(next);
          post({ t: "status", status: next });
          // A new leader's first stream may have missed what the old leader had not relayed.
          if (next === "open" && takingOver && !resynced) {
            resynced = true;
            this.onResync();
          }
        },
      });
      post({ t: "hello" });
      // Taking over: give the other tabs a moment to say which routes they show, so that the
      // first stream (and the catch-up that follows it) covers them too.
      if (takingOver) setTimeout(() => leader!.setPaths(union()), TAKEOVER_GATHER_MS);
      else leader.setPaths(union());
      return new Promise<void>(() => {});
    });
    addEventListener("pagehide", () => post({ t: "bye", tab }));
    // Back from the back/forward cache: the leader dropped this tab's routes when it left, and
    // events may have come meanwhile.
    addEventListener("pageshow", (event) => {
      if (!event.persisted) return;
      sendInterest();
      local.onResync();
    });
  }

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
    follow(path, listener) {
      let listeners = following.get(path);
      const added = !listeners;
      if (!listeners) following.set(path, (listeners = new Set()));
      const own: Listener = (event, origin) => listener(event, origin);
      listeners.add(own);
      if (added) interestChanged();
      return () => {
        listeners!.delete(own);
        if (listeners!.size > 0) return;
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
