import { afterEach, beforeEach, expect, test, vi } from "vitest";

// Two tabs of one browser, in one process: each tab is its own copy of the module (as each page
// runs its own), over Node's BroadcastChannel (which crosses module copies as it crosses tabs) and
// a lock manager that grants one lock at a time, as the Web Locks API does. The tests play the server.
type LiveClientModule = typeof import("./live-client.js");

let streams: Array<{ url: string; push(text: string): void; aborted(): boolean }>;
/** Each test's own stream URL, so that the tabs of earlier tests (still running) never hear these. */
let streamUrl: string;
let tests = 0;

/**
 * A lock manager that grants one lock at a time, in order, as the Web Locks API does; a request
 * with `steal` takes the lock at once, and the holder's request rejects.
 */
function fakeLocks() {
  const waiting = new Map<string, Array<() => void>>();
  /** Each held lock's holder: rejecting it takes the lock away. */
  const holders = new Map<string, (error: unknown) => void>();
  const grant = (name: string, callback: () => unknown) =>
    new Promise<void>((resolve, reject) => {
      holders.set(name, reject);
      Promise.resolve(callback())
        .then(() => resolve(), reject)
        .finally(() => {
          if (holders.get(name) !== reject) return;
          holders.delete(name);
          waiting.get(name)?.shift()?.();
        });
    });
  return {
    request(name: string, options: { signal?: AbortSignal; steal?: boolean }, callback: () => unknown): Promise<void> {
      if (options.steal) holders.get(name)?.(new DOMException("stolen", "AbortError"));
      if (options.steal || !holders.has(name)) return grant(name, callback);
      return new Promise<void>((resolve, reject) => {
        const queue = waiting.get(name) ?? [];
        waiting.set(name, queue);
        const turn = () => grant(name, callback).then(resolve, reject);
        queue.push(turn);
        options.signal?.addEventListener("abort", () => {
          queue.splice(queue.indexOf(turn), 1);
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    },
  };
}

beforeEach(() => {
  streams = [];
  streamUrl = `/s${++tests}`;
  const window = new EventTarget();
  vi.stubGlobal("addEventListener", window.addEventListener.bind(window));
  vi.stubGlobal("dispatchEvent", window.dispatchEvent.bind(window));
  vi.stubGlobal("document", Object.assign(new EventTarget(), { visibilityState: "visible" }));
  vi.stubGlobal("navigator", { onLine: true, locks: fakeLocks() });
  vi.stubGlobal("fetch", async (url: string, init: { signal: AbortSignal }) => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    init.signal.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
    streams.push({
      url: decodeURIComponent(url).replace(streamUrl, "/s"),
      push: (text) => controller.enqueue(new TextEncoder().encode(text)),
      aborted: () => init.signal.aborted,
    });
    return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
  });
});

afterEach(() => {
  // The test's tabs keep their timers: frozen, they hold no stream and check nothing once the
  // browser's globals are gone.
  document.dispatchEvent(new Event("freeze"));
  vi.unstubAllGlobals();
});

async function openTab(): Promise<LiveClientModule> {
  vi.resetModules();
  return import("./live-client.js");
}

/** Follows `path` in `tab`, its data loaded `age` ms ago; returns what the route was told. */
function follow(tab: LiveClientModule, path: string, age: number): string[] {
  const told: string[] = [];
  const loadedAt = Date.now() - age;
  tab.getLiveClient(streamUrl).follow(path, () => loadedAt, (origin) => told.push(origin ?? "run"));
  return told;
}

/** The server's first event, for a stream that asked for the chat only. */
const CHAT_ROUTES = `event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]}}\n\n`;

test("the tabs share one stream, held by the first; a second tab's route joins it, asked about with its own data's age", async () => {
  const [first, second] = [await openTab(), await openTab()];
  follow(first, "/chat/stream", 1_000);
  await vi.waitFor(() => expect(streams).toHaveLength(1));
  expect(streams[0]!.url).toMatch(/^\/s\?route=\/chat\/stream&age=1\d\d\d$/);
  streams[0]!.push(CHAT_ROUTES);
  follow(second, "/rooms/1/stream", 500);
  await vi.waitFor(() => expect(streams).toHaveLength(2));
  // The chat is carried already; the room is asked about.
  expect(streams[1]!.url).toMatch(/^\/s\?route=\/chat\/stream&route=\/rooms\/1\/stream&age=0,5\d\d$/);
});

test("an event reaches every tab that shows its route; what a tab missed while it loaded is told to that tab alone", async () => {
  const [first, second] = [await openTab(), await openTab()];
  const firstTold = follow(first, "/chat/stream", 0);
  await vi.waitFor(() => expect(streams).toHaveLength(1));
  streams[0]!.push(`${CHAT_ROUTES}data: chat\norigin: k3j9x2\n\n`);
  await vi.waitFor(() => expect(firstTold).toEqual(["k3j9x2"]));
  // The second tab loaded its chat before that event: the tab holding the stream tells it so.
  const secondTold = follow(second, "/chat/stream", 60_000);
  await vi.waitFor(() => expect(secondTold).toEqual(["run"]));
  // The next event reaches both; the first was not told again of what the second missed.
  streams[0]!.push("data: chat\n\n");
  await vi.waitFor(() => expect(secondTold).toEqual(["run", "run"]));
  expect(firstTold).toEqual(["k3j9x2", "run"]);
  expect(streams).toHaveLength(1);
});

test("a route two tabs show is asked about with the older data of the two", async () => {
  const [first, second] = [await openTab(), await openTab()];
  follow(first, "/chat/stream", 0);
  await vi.waitFor(() => expect(streams).toHaveLength(1));
  streams[0]!.push(CHAT_ROUTES);
  follow(second, "/rooms/1/stream", 300);
  await vi.waitFor(() => expect(streams).toHaveLength(2));
  follow(first, "/rooms/1/stream", 2_000);
  // The room's stream was still opening, and asked about newer data: it is asked for again.
  await vi.waitFor(() => expect(streams).toHaveLength(3));
  expect(streams[2]!.url).toMatch(/&age=0,2\d\d\d$/);
});

test("a tab that was told of an event is not told it again when it says which routes it shows (as when a writer's echo comes after its own revalidation)", async () => {
  const [first, second] = [await openTab(), await openTab()];
  follow(first, "/chat/stream", 0);
  await vi.waitFor(() => expect(streams).toHaveLength(1));
  streams[0]!.push(CHAT_ROUTES);
  // The leader's answers to the second tab, as a third party on the channel hears them.
  const answers: Array<{ paths?: string[]; to?: string }> = [];
  const listener = new BroadcastChannel(`remix-live 2 ${streamUrl}`);
  listener.onmessage = ({ data }) => void ("to" in data && answers.push(data));
  const secondTold = follow(second, "/chat/stream", 0);
  // The leader has answered the second tab's routes before the event comes.
  await vi.waitFor(() => expect(answers).toHaveLength(1));
  streams[0]!.push("data: chat\n\n");
  await vi.waitFor(() => expect(secondTold).toEqual(["run"]));
  // Shown again, the second tab checks that the leader answers: it does, with nothing missed.
  document.dispatchEvent(new Event("visibilitychange"));
  await vi.waitFor(() => expect(answers).toHaveLength(2));
  expect(answers.map((answer) => answer.paths)).toEqual([[], []]);
  expect(secondTold).toEqual(["run"]);
  listener.close();
});

test("a tab the leader no longer hears from (it crashed, or the browser discarded it) stops being carried after five minutes", async () => {
  vi.useFakeTimers({ toFake: ["Date", "setInterval"] });
  try {
    const first = await openTab();
    follow(first, "/chat/stream", 0);
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    // Heartbeats off: the streams stay alive however long the test's clock runs.
    streams[0]!.push(`event: routes\ndata: {"heartbeat":0,"routes":{"/chat/stream":["chat"]}}\n\n`);
    // A tab says what it shows, then never speaks again.
    const ghost = new BroadcastChannel(`remix-live 2 ${streamUrl}`);
    ghost.postMessage({ tab: "ghost", paths: { "/ghost/stream": Date.now() } });
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(streams[1]!.url).toContain("/ghost/stream");
    streams[1]!.push(`event: routes\ndata: {"heartbeat":0,"routes":{"/chat/stream":["chat"],"/ghost/stream":["ghost"]}}\n\n`);
    vi.advanceTimersByTime(4 * 60_000);
    expect(streams).toHaveLength(2);
    vi.advanceTimersByTime(2 * 60_000);
    await vi.waitFor(() => expect(streams).toHaveLength(3));
    expect(streams[2]!.url).toBe("/s?route=/chat/stream");
    ghost.close();
  } finally {
    vi.useRealTimers();
  }
});

test("a leader that stops answering (suspended without a freeze event, as iOS Safari does) loses the lead to a visible tab after 3 s, whose stream asks what its routes missed", async () => {
  // The tabs' channels, in the order they open; a suspended one neither hears nor says anything.
  const channels: Array<BroadcastChannel & { suspended?: boolean }> = [];
  class SuspendableChannel extends BroadcastChannel {
    suspended = false;
    constructor(name: string) {
      super(name);
      channels.push(this);
    }
    override postMessage(message: unknown): void {
      if (!this.suspended) super.postMessage(message);
    }
    override set onmessage(handler: ((event: MessageEvent) => void) | null) {
      super.onmessage = (event: MessageEvent) => this.suspended || handler?.(event);
    }
  }
  vi.stubGlobal("BroadcastChannel", SuspendableChannel);
  const [first, second] = [await openTab(), await openTab()];
  follow(first, "/chat/stream", 0);
  await vi.waitFor(() => expect(streams).toHaveLength(1));
  streams[0]!.push(CHAT_ROUTES);
  const secondTold = follow(second, "/chat/stream", 5_000);
  await vi.waitFor(() => expect(second.getLiveClient(streamUrl).status()).toBe("open"));

  channels[0]!.suspended = true;
  vi.useFakeTimers({ toFake: ["setTimeout"] });
  try {
    // Shown, the second tab checks that the leader answers.
    document.dispatchEvent(new Event("visibilitychange"));
    await vi.advanceTimersByTimeAsync(2_900);
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300);
  } finally {
    vi.useRealTimers();
  }
  // The second tab leads: the first stepped down and closed its stream, and the new stream asks
  // about the second tab's data.
  expect(streams[0]!.aborted()).toBe(true);
  expect(streams).toHaveLength(2);
  expect(streams[1]!.url).toMatch(/^\/s\?route=\/chat\/stream&age=5\d\d\d$/);
  streams[1]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]},"changed":{"/chat/stream":1000}}\n\n`);
  await vi.waitFor(() => expect(secondTold).toEqual(["run"]));
  streams[1]!.push("data: chat\n\n");
  await vi.waitFor(() => expect(secondTold).toEqual(["run", "run"]));
});

test("a tab whose lock is taken before its callback ran never leads with it: it follows, and asks for the lock again", async () => {
  const asked: Array<{ steal?: boolean }> = [];
  let runLateCallback = () => {};
  vi.stubGlobal("navigator", {
    onLine: true,
    locks: {
      request(_name: string, options: { steal?: boolean }, callback: () => unknown): Promise<void> {
        asked.push(options);
        // The second request waits, as behind the tab that took the lock.
        if (asked.length > 1) return new Promise<void>(() => {});
        // Granted, then taken at once: the request rejects before the browser runs its callback.
        return new Promise<void>((_resolve, reject) => {
          runLateCallback = () => void callback();
          reject(new DOMException("stolen", "AbortError"));
        });
      },
    },
  });
  const tab = await openTab();
  follow(tab, "/chat/stream", 0);
  await vi.waitFor(() => expect(asked).toHaveLength(2));
  runLateCallback();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(streams).toHaveLength(0);
});

test("a connection chunk that fails to load (a network error, a deploy that removed it) is asked for again while a route waits for it", async () => {
  vi.resetModules();
  let attempts = 0;
  vi.doMock("./live-client.js", async (importOriginal) => {
    if (++attempts === 1) throw new TypeError("Failed to fetch dynamically imported module");
    return importOriginal();
  });
  try {
    const client = (await import("./lazy-live-client.js")).getLiveClient(streamUrl);
    client.follow("/chat/stream", () => Date.now(), () => {});
    await vi.waitFor(() => expect(attempts).toBe(1));
    expect(client.status()).toBe("connecting");
    await vi.waitFor(() => expect(streams).toHaveLength(1), { timeout: 5_000 });
    expect(attempts).toBe(2);
  } finally {
    vi.doUnmock("./live-client.js");
  }
});

test("a page that shows no live route loads no connection, and has nothing to wait for: its status is open, or offline while the browser is, before and after it showed one", async () => {
  vi.resetModules();
  const client = (await import("./lazy-live-client.js")).getLiveClient(streamUrl);
  let notified = 0;
  client.onStatus(() => notified++);
  expect(client.status()).toBe("open");
  // A route that goes before the connection has loaded leaves nothing behind.
  client.follow("/chat/stream", () => Date.now(), () => {})();
  expect(client.status()).toBe("open");
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(streams).toHaveLength(0);
  const told: string[] = [];
  const unfollow = client.follow("/chat/stream", () => Date.now(), () => told.push("run"));
  // While it shows one, the status is the connection's.
  expect(client.status()).toBe("connecting");
  await vi.waitFor(() => expect(streams).toHaveLength(1));
  streams[0]!.push(CHAT_ROUTES);
  await vi.waitFor(() => expect(client.status()).toBe("open"));
  streams[0]!.push("data: chat\n\n");
  await vi.waitFor(() => expect(told).toEqual(["run"]));
  unfollow();
  (navigator as { onLine: boolean }).onLine = false;
  dispatchEvent(new Event("offline"));
  expect(client.status()).toBe("offline");
  (navigator as { onLine: boolean }).onLine = true;
  dispatchEvent(new Event("online"));
  expect(client.status()).toBe("open");
  // Each change was told, so that a status shown on such a page follows it.
  expect(notified).toBeGreaterThanOrEqual(5);
});
