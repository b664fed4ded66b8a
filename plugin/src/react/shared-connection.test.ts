import { afterEach, beforeEach, expect, test, vi } from "vitest";
import type { LiveStatus, Note } from "./shared-connection.js";

// The connection keeps no module state, but it reads the browser's globals: a window (online,
// offline, pageshow), a document (visibility) and fetch. The tests play the server.
let shared: typeof import("./shared-connection.js");
let requests: Array<{ url: string; push(text: string): void; end(): void; signal: AbortSignal }>;
let answer: (url: string) => Response | null;

beforeEach(async () => {
  vi.useFakeTimers();
  vi.resetModules();
  const window = new EventTarget();
  vi.stubGlobal("addEventListener", window.addEventListener.bind(window));
  vi.stubGlobal("removeEventListener", window.removeEventListener.bind(window));
  vi.stubGlobal("dispatchEvent", window.dispatchEvent.bind(window));
  vi.stubGlobal("navigator", { onLine: true });
  vi.stubGlobal("document", Object.assign(new EventTarget(), { visibilityState: "visible" }));
  requests = [];
  answer = () => null;
  vi.stubGlobal("fetch", async (url: string, init: { signal: AbortSignal }) => {
    const refusal = answer(url);
    if (refusal) return refusal;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    init.signal.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
    requests.push({
      url,
      signal: init.signal,
      push: (text) => controller.enqueue(new TextEncoder().encode(text)),
      end: () => controller.close(),
    });
    return new Response(body, { headers: { "Content-Type": "text/event-stream; charset=utf-8" } });
  });
  shared = await import("./shared-connection.js");
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function recorder() {
  const log: string[] = [];
  const statuses: LiveStatus[] = [];
  const handlers = (note: Note) => {
    if (note.status) statuses.push(note.status);
    else log.push(`run ${note.paths!.join(",")}`);
  };
  return { log, statuses, handlers };
}

const ROUTES = `event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"],"/rooms/1/stream":["room:1","chat"],"/private/stream":403}}\n\n`;
const CHAT_ONLY = `event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]}}\n\n`;
/** Routes whose data was loaded just now (nothing to ask the server about). */
const loadedNow = (...paths: string[]) => Object.fromEntries(paths.map((path) => [path, Date.now()]));
/** A connection whose stream for the chat has answered with `first`; `loaded`: when the chat's data was loaded. */
async function answeredOnChat(first = ROUTES) {
  const recorded = recorder();
  const connection = shared.openSharedConnection("/s", recorded.handlers);
  const loaded = Date.now();
  connection.setPaths({ "/chat/stream": loaded });
  await settle();
  requests[0]!.push(first);
  await settle();
  return { ...recorded, connection, loaded };
}

/** Lets the fetch, the reader and the handlers run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

test("an event reaches the routes that follow its channel; a refused route is told once", async () => {
  const { log, statuses, handlers } = recorder();
  const connection = shared.openSharedConnection("/__remix-live/stream", handlers);
  connection.setPaths(loadedNow("/rooms/1/stream", "/chat/stream", "/private/stream"));
  await settle();
  expect(requests.map((request) => request.url)).toEqual([
    "/__remix-live/stream?route=%2Fchat%2Fstream&route=%2Fprivate%2Fstream&route=%2Frooms%2F1%2Fstream",
  ]);
  requests[0]!.push(`retry: 1000\n: connected\n\n${ROUTES}data: room:1\n\ndata: chat\n\n`);
  await settle();
  expect(log).toEqual(["run /private/stream", "run /rooms/1/stream", "run /chat/stream,/rooms/1/stream"]);
  expect(statuses).toEqual(["connecting", "open"]);
  // The next stream (another set of routes) refuses it again: its loader has shown the refusal already.
  connection.setPaths(loadedNow("/chat/stream", "/private/stream"));
  await settle();
  requests[1]!.push(ROUTES);
  await settle();
  expect(log).toHaveLength(3);
});

test("after a drop it reconnects after a jittered delay, asks what changed meanwhile, and only the routes that changed catch up, once", async () => {
  vi.spyOn(Math, "random").mockReturnValue(0.9); // 1 s x (0.5 + 0.9) = 1.4 s
  const { log, statuses, handlers } = recorder();
  shared.openSharedConnection("/s", handlers).setPaths(loadedNow("/chat/stream", "/rooms/1/stream"));
  await settle();
  requests[0]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"],"/rooms/1/stream":["room:1"]}}\n\n`);
  await settle();
  await vi.advanceTimersByTimeAsync(100);
  // The chat hears an event (its page revalidates then); the room does not.
  requests[0]!.push("data: chat\n\n");
  await settle();
  await vi.advanceTimersByTimeAsync(100);
  requests[0]!.end();
  await settle();
  expect(statuses.at(-1)).toBe("reconnecting");
  await vi.advanceTimersByTimeAsync(1_399);
  expect(requests).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(requests).toHaveLength(2);
  // Each route's data is as old as its last change heard, or its page's load.
  expect(requests[1]!.url).toBe("/s?route=%2Fchat%2Fstream&route=%2Frooms%2F1%2Fstream&age=1500,1600");
  // Only the room changed while the stream was away.
  requests[1]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"],"/rooms/1/stream":["room:1"]},"changed":{"/chat/stream":1600,"/rooms/1/stream":700}}\n\n`);
  await settle();
  expect(log).toEqual(["run /chat/stream", "run /rooms/1/stream"]);
  expect(statuses.at(-1)).toBe("open");
});

test("a refusal's Retry-After (the stream cap's 503) is the least wait, and the usual growing, jittered delay comes on top", async () => {
  vi.spyOn(Math, "random").mockReturnValue(0); // delays of 0.5 s, then 1 s
  answer = () => new Response("busy", { status: 503, headers: { "Retry-After": "7" } });
  const { handlers } = recorder();
  shared.openSharedConnection("/s", handlers).setPaths(loadedNow("/chat/stream"));
  await settle();
  const attempts: number[] = [];
  answer = () => (attempts.push(Date.now()), new Response("busy", { status: 503, headers: { "Retry-After": "7" } }));
  await vi.advanceTimersByTimeAsync(7_499);
  expect(attempts).toHaveLength(0);
  await vi.advanceTimersByTimeAsync(1);
  expect(attempts).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(7_999);
  expect(attempts).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(attempts).toHaveLength(2);
});

test("a stream that hears nothing, not even a heartbeat, for 2.5 heartbeat intervals is reopened, and asks what changed meanwhile", async () => {
  const { log, statuses, handlers } = recorder();
  shared.openSharedConnection("/s", handlers).setPaths(loadedNow("/chat/stream"));
  await settle();
  requests[0]!.push(ROUTES);
  await settle();
  // Heartbeats keep it alive...
  for (let i = 0; i < 4; i++) {
    await vi.advanceTimersByTimeAsync(15_000);
    requests[0]!.push(": heartbeat\n\n");
  }
  await settle();
  expect(requests).toHaveLength(1);
  // ...silence past 37.5 s does not.
  await vi.advanceTimersByTimeAsync(40_000);
  expect(requests[0]!.signal.aborted).toBe(true);
  expect(requests).toHaveLength(2);
  // The page may be stale until the new stream answers: the status says so.
  expect(statuses.at(-1)).toBe("reconnecting");
  expect(requests[1]!.url).toMatch(/&age=\d+$/);
  requests[1]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]},"changed":{"/chat/stream":0}}\n\n`);
  await settle();
  // The first stream refused /private/stream; the chat changed while the stream was dead.
  expect(log).toEqual(["run /private/stream", "run /chat/stream"]);
  expect(statuses.at(-1)).toBe("open");
});

test("a changed set of routes opens the new stream before it closes the old one", async () => {
  const { handlers } = recorder();
  const connection = shared.openSharedConnection("/s", handlers);
  connection.setPaths(loadedNow("/chat/stream"));
  await settle();
  requests[0]!.push(ROUTES);
  await settle();
  connection.setPaths(loadedNow("/chat/stream", "/rooms/1/stream"));
  await settle();
  expect(requests).toHaveLength(2);
  expect(requests[0]!.signal.aborted).toBe(false);
  requests[1]!.push(ROUTES);
  await settle();
  expect(requests[0]!.signal.aborted).toBe(true);
});

test("while a new stream opens, the one that answered stays; a set changed again meanwhile drops the stream still opening, never the one that answered", async () => {
  const { connection, loaded } = await answeredOnChat();
  vi.advanceTimersByTime(500);
  connection.setPaths({ "/chat/stream": loaded, "/rooms/1/stream": loaded });
  await settle();
  connection.setPaths({ "/chat/stream": loaded, "/rooms/2/stream": loaded });
  await settle();
  expect(requests.map((request) => request.signal.aborted)).toEqual([false, true, false]);
  // The chat is still carried: only the room is asked about.
  expect(requests[2]!.url).toBe("/s?route=%2Fchat%2Fstream&route=%2Frooms%2F2%2Fstream&age=0,500");
  requests[2]!.push(ROUTES);
  await settle();
  expect(requests[0]!.signal.aborted).toBe(true);
});

test("a route that left the stream and comes back is asked about again", async () => {
  const { connection } = await answeredOnChat();
  // A page with no live route, then the chat again (loaded 300 ms before its stream).
  connection.setPaths({});
  await settle();
  expect(requests[0]!.signal.aborted).toBe(true);
  vi.advanceTimersByTime(1_000);
  connection.setPaths({ "/chat/stream": Date.now() - 300 });
  await settle();
  expect(requests[1]!.url).toBe("/s?route=%2Fchat%2Fstream&age=300");
});

test("when the stream that answered drops while a new one opens, the new set is asked for again, the old routes included", async () => {
  const { connection, loaded } = await answeredOnChat();
  vi.advanceTimersByTime(200);
  connection.setPaths({ "/chat/stream": loaded, "/rooms/1/stream": loaded });
  await settle();
  requests[0]!.end();
  await settle();
  expect(requests[1]!.signal.aborted).toBe(true);
  expect(requests[2]!.url).toBe("/s?route=%2Fchat%2Fstream&route=%2Frooms%2F1%2Fstream&age=200,200");
});

test("a page that comes back (visible, online) retries a dropped stream at once instead of waiting out its backoff", async () => {
  vi.spyOn(Math, "random").mockReturnValue(0.9);
  const { handlers } = recorder();
  shared.openSharedConnection("/s", handlers).setPaths(loadedNow("/chat/stream"));
  await settle();
  requests[0]!.push(ROUTES);
  await settle();
  requests[0]!.end();
  await settle();
  document.dispatchEvent(new Event("visibilitychange"));
  await settle();
  expect(requests).toHaveLength(2);
  // Dropped again while the browser was offline; back online, it retries at once too.
  requests[1]!.end();
  await settle();
  dispatchEvent(new Event("online"));
  await settle();
  expect(requests).toHaveLength(3);
});

test("a server that stays away is retried forever, the delay doubling from 1 s to at most 30 s", async () => {
  vi.spyOn(Math, "random").mockReturnValue(0.5); // no jitter: exactly the base delay
  const attempts: number[] = [];
  answer = () => {
    attempts.push(Date.now());
    throw new TypeError("Failed to fetch");
  };
  const { statuses, handlers } = recorder();
  shared.openSharedConnection("/s", handlers).setPaths(loadedNow("/chat/stream"));
  await settle();
  await vi.advanceTimersByTimeAsync(200_000);
  const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
  expect(gaps.slice(0, 8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  expect(statuses.at(-1)).toBe("reconnecting");
});

test("paused (a frozen tab, a leader taking over), it holds no stream and reports nothing; its next stream asks what changed meanwhile", async () => {
  const { log, statuses, handlers } = recorder();
  const connection = shared.openSharedConnection("/__remix-live/stream", handlers);
  connection.setPaths(loadedNow("/chat/stream", "/private/stream"));
  await settle();
  requests[0]!.push(ROUTES);
  await settle();
  expect(statuses).toEqual(["connecting", "open"]);
  expect(log).toEqual(["run /private/stream"]);

  connection.pause();
  await settle();
  expect(requests[0]!.signal.aborted).toBe(true);
  // The network comes and goes while it runs no stream: that is the live tabs' news, not its own.
  for (const name of ["offline", "online"]) dispatchEvent(new Event(name));
  await vi.advanceTimersByTimeAsync(60_000);
  expect(requests).toHaveLength(1);
  expect(statuses).toEqual(["connecting", "open"]);

  const loaded = Date.now() - 60_000;
  connection.setPaths({ "/chat/stream": loaded, "/private/stream": loaded });
  await settle();
  expect(statuses).toEqual(["connecting", "open", "reconnecting"]);
  expect(requests[1]!.url).toBe("/__remix-live/stream?route=%2Fchat%2Fstream&route=%2Fprivate%2Fstream&age=60000,60000");
  requests[1]!.push(ROUTES.replace("}}", `},"changed":{"/chat/stream":30000}}`));
  await settle();
  expect(statuses).toEqual(["connecting", "open", "reconnecting", "open"]);
  // The refusal is told again (the tab may have shown something else meanwhile), and the chat catches up.
  expect(log).toEqual(["run /private/stream", "run /chat/stream,/private/stream"]);
});

test("a route joining the stream says how old its data is, unless a stream carries it already; it catches up once if its channels changed after that", async () => {
  const { log, handlers } = recorder();
  const connection = shared.openSharedConnection("/s", handlers);
  const loaded = Date.now();
  vi.advanceTimersByTime(300);
  connection.setPaths({ "/chat/stream": loaded });
  await settle();
  expect(requests[0]!.url).toBe("/s?route=%2Fchat%2Fstream&age=300");
  // The chat changed 100 ms ago, after its data was loaded.
  requests[0]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]},"changed":{"/chat/stream":100}}\n\n`);
  await settle();
  expect(log).toEqual(["run /chat/stream"]);
  // A room opens 200 ms after its data loaded; the chat is carried already.
  connection.setPaths({ "/chat/stream": loaded, "/rooms/1/stream": Date.now() - 200 });
  await settle();
  expect(requests[1]!.url).toBe("/s?route=%2Fchat%2Fstream&route=%2Frooms%2F1%2Fstream&age=0,200");
  // The room last changed 250 ms ago: its data has that change.
  requests[1]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"],"/rooms/1/stream":["room:1"]},"changed":{"/rooms/1/stream":250}}\n\n`);
  await settle();
  expect(log).toEqual(["run /chat/stream"]);
});

test("a route the stream carries already missed what it heard after that route's data was loaded, and nothing before", async () => {
  const { log, handlers } = recorder();
  const connection = shared.openSharedConnection("/s", handlers);
  connection.setPaths(loadedNow("/chat/stream"));
  await settle();
  requests[0]!.push(`event: routes\ndata: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]}}\n\ndata: chat\n\n`);
  await settle();
  expect(log).toEqual(["run /chat/stream"]);
  vi.advanceTimersByTime(100);
  // Another tab loaded the chat before that event, a third after it; a room is not carried yet.
  expect(connection.missed({ "/chat/stream": Date.now() - 200, "/rooms/1/stream": 0 })).toEqual(["/chat/stream"]);
  expect(connection.missed({ "/chat/stream": Date.now() })).toEqual([]);
});

test("a route that left the stream is asked about again from its own data's age, whatever was heard for it before", async () => {
  const { connection, log } = await answeredOnChat(`${CHAT_ONLY}data: chat\n\n`);
  expect(log).toEqual(["run /chat/stream"]);
  connection.setPaths({});
  vi.advanceTimersByTime(1_000);
  // Back with data of unknown age (a document from the browser's cache).
  connection.setPaths({ "/chat/stream": 0 });
  await settle();
  expect(requests[1]!.url).toMatch(/&age=\d{10,}$/);
  expect(connection.missed({ "/chat/stream": 0 })).toEqual([]);
  requests[1]!.push(CHAT_ONLY.replace("}}", `},"changed":{"/chat/stream":1000}}`));
  await settle();
  expect(log).toEqual(["run /chat/stream", "run /chat/stream"]);
});
