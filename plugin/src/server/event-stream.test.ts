import { afterEach, describe, expect, test, vi } from "vitest";
import { createEventStream } from "./event-stream.js";
import { LiveHub } from "./hub.js";
import type { Transport } from "./transport.js";

const decoder = new TextDecoder();

function open(channels: string | string[], options: { heartbeatInterval?: number } = {}) {
  const hub = new LiveHub();
  const controller = new AbortController();
  const request = new Request("http://localhost/chat/stream", { signal: controller.signal });
  const response = createEventStream(request, channels, { hub, heartbeatInterval: options.heartbeatInterval ?? 0 });
  const reader = response.body!.getReader();
  const next = async () => {
    const { value, done } = await reader.read();
    return done ? null : decoder.decode(value);
  };
  return { hub, controller, response, reader, next };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the bytes a stream sends", () => {
  test("headers that keep proxies and compression from holding events", () => {
    const { response } = open("chat");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
  });

  test("a retry delay and a comment first, then one event per emit of its channel", async () => {
    const { hub, next } = open("chat");
    expect(await next()).toBe("retry: 1000\n: connected\n\n");
    hub.emit("chat");
    expect(await next()).toBe("data: chat\n\n");
    hub.emit("chat");
    expect(await next()).toBe("data: chat\n\n");
  });

  test("events of other channels are not sent", async () => {
    const { hub, next } = open("chat");
    await next();
    hub.emit("other");
    hub.emit("chat");
    expect(await next()).toBe("data: chat\n\n");
  });

  test("a stream may follow several channels", async () => {
    const { hub, next } = open(["chat", "presence"]);
    await next();
    hub.emit("presence");
    expect(await next()).toBe("data: presence\n\n");
    hub.emit("chat");
    expect(await next()).toBe("data: chat\n\n");
  });

  test("a heartbeat comment on idle streams, from one timer for all of them", async () => {
    vi.useFakeTimers();
    const hub = new LiveHub();
    const readers = Array.from({ length: 3 }, () => {
      const request = new Request("http://localhost/chat/stream");
      return createEventStream(request, "chat", { hub, heartbeatInterval: 1_000 }).body!.getReader();
    });
    expect(vi.getTimerCount()).toBe(1);
    for (const reader of readers) await reader.read();
    vi.advanceTimersByTime(1_000);
    for (const reader of readers) expect(decoder.decode((await reader.read()).value)).toBe(": heartbeat\n\n");
    for (const reader of readers) await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });

  test("malformed channel names are refused before any stream opens", () => {
    const request = new Request("http://localhost/chat/stream");
    expect(() => createEventStream(request, "chat room")).toThrow(/a channel name must be/);
    expect(() => createEventStream(request, [""])).toThrow(/empty string/);
  });
});

describe("listener cleanup", () => {
  test("the stream stops listening and ends when the request aborts", async () => {
    const { hub, controller, next } = open("chat");
    await next();
    expect(hub.stats()).toMatchObject({ streams: 1, channels: { chat: 1 } });
    controller.abort();
    expect(hub.stats()).toMatchObject({ streams: 0, channels: {} });
    expect(await next()).toBeNull();
  });

  test("the stream stops listening when the reader cancels it", async () => {
    const { hub, reader } = open("chat");
    await reader.cancel();
    expect(hub.stats().streams).toBe(0);
  });

  test("a request that was aborted before the stream opened never subscribes", async () => {
    const hub = new LiveHub();
    const request = new Request("http://localhost/chat/stream", { signal: AbortSignal.abort() });
    const reader = createEventStream(request, "chat", { hub }).body!.getReader();
    expect(hub.stats().streams).toBe(0);
    expect((await reader.read()).done).toBe(true);
  });

  test("a HEAD request gets the stream's headers and never subscribes", () => {
    const hub = new LiveHub();
    for (let i = 0; i < 1000; i++) {
      const response = createEventStream(new Request("http://localhost/chat/stream", { method: "HEAD" }), "chat", { hub });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(response.body).toBeNull();
    }
    expect(hub.stats().streams).toBe(0);
  });

  test("10,000 streams opened and closed leave no subscription behind", () => {
    const hub = new LiveHub();
    for (let i = 0; i < 10_000; i++) {
      const controller = new AbortController();
      createEventStream(new Request("http://localhost/s", { signal: controller.signal }), `room:${i % 7}`, { hub });
      controller.abort();
    }
    expect(hub.stats()).toEqual({ streams: 0, channels: {}, failedEmits: 0, pendingEmits: 0 });
  });

  test("the abort still arrives after a garbage collection when the adapter's Request was copied", async () => {
    // Remix 2 hands loaders a copy of a copy of the adapter's Request, and drops the others.
    const hub = new LiveHub();
    const adapter = new AbortController();
    let first: Request | null = new Request("http://localhost/chat/stream?index", { signal: adapter.signal });
    let second: Request | null = new Request("http://localhost/chat/stream", first);
    createEventStream(new Request("http://localhost/chat/stream", second), "chat", { hub });
    first = second = null;
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, "tests run with --expose-gc").toBeTypeOf("function");
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc!();
    }
    adapter.abort();
    expect(hub.stats().streams).toBe(0);
  });
});

describe("emit() with streams in any state", () => {
  test("emitting to closed, cancelled and aborted streams never throws", async () => {
    const hub = new LiveHub();
    const aborted = new AbortController();
    createEventStream(new Request("http://localhost/a", { signal: aborted.signal }), "chat", { hub });
    const cancelled = createEventStream(new Request("http://localhost/b"), "chat", { hub }).body!;
    const errored = createEventStream(new Request("http://localhost/c"), "chat", { hub }).body!;
    aborted.abort();
    await cancelled.cancel();
    // A reader that fails mid-stream (a socket error in the adapter).
    const erroredReader = errored.getReader();
    await erroredReader.cancel(new Error("socket hang up"));
    expect(() => hub.emit("chat")).not.toThrow();
    expect(hub.stats().streams).toBe(0);
  });

  test("a subscriber that throws does not keep the event from the others", async () => {
    const hub = new LiveHub();
    vi.spyOn(console, "error").mockImplementation(() => {});
    hub.subscribe(["chat"], { event: () => { throw new Error("broken"); }, heartbeat: () => {} }, 0);
    const reader = createEventStream(new Request("http://localhost/s"), "chat", { hub }).body!.getReader();
    await reader.read();
    expect(() => hub.emit("chat")).not.toThrow();
    expect(decoder.decode((await reader.read()).value)).toBe("data: chat\n\n");
  });

  test("a failing transport is counted and logged, never thrown into the caller", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing: Transport = {
      start() {},
      publish: () => Promise.reject(new Error("broker down")),
      subscribe() {},
      unsubscribe() {},
      close: async () => {},
    };
    const hub = new LiveHub(failing);
    expect(() => hub.emit("chat")).not.toThrow();
    // Counted once per attempt: the hub keeps trying until the broker takes it.
    await vi.waitFor(() => expect(hub.stats().failedEmits).toBeGreaterThanOrEqual(1));
    expect(hub.stats().pendingEmits).toBe(1);
    expect(String(error.mock.calls[0]?.[0])).toContain('emit("chat") failed');

    const throwing = new LiveHub({ ...failing, publish: () => { throw new Error("sync failure"); } });
    expect(() => throwing.emit("chat")).not.toThrow();
    expect(throwing.stats().failedEmits).toBe(1);
  });

  test("a malformed channel name is a TypeError for the caller", () => {
    expect(() => new LiveHub().emit("no spaces")).toThrow(TypeError);
  });
});

describe("slow readers", () => {
  test("a client that stops reading holds at most one event per channel, and misses no channel", async () => {
    const { hub, next } = open(["a", "b"]);
    for (let i = 0; i < 1_000; i++) hub.emit("a");
    hub.emit("b");
    hub.emit("a");
    // Queued before the client fell behind: the open frame and one event. Then the 1,000 emits
    // that could not be queued collapsed into one pending event per channel.
    const received = [await next(), await next(), await next(), await next()];
    expect(received).toEqual(["retry: 1000\n: connected\n\n", "data: a\n\n", "data: a\n\n", "data: b\n\n"]);
    hub.emit("b");
    expect(await next()).toBe("data: b\n\n");
  });

  test("other clients keep receiving while one does not read", async () => {
    const hub = new LiveHub();
    createEventStream(new Request("http://localhost/stuck"), "chat", { hub });
    const reader = createEventStream(new Request("http://localhost/live"), "chat", { hub }).body!.getReader();
    await reader.read();
    for (let i = 0; i < 100; i++) {
      hub.emit("chat");
      expect(decoder.decode((await reader.read()).value)).toBe("data: chat\n\n");
    }
  });
});

describe("the cap on open streams", () => {
  test("past it, new streams get 503 with Retry-After, open ones keep receiving, and room frees up as they close", async () => {
    const hub = new LiveHub();
    const open = () => {
      const controller = new AbortController();
      const response = createEventStream(new Request("http://localhost/s", { signal: controller.signal }), "chat", { hub, maxStreams: 2 });
      return { controller, response };
    };
    const first = open();
    const second = open();
    const refused = open();
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get("retry-after")).toBe("5");
    expect(hub.stats().streams).toBe(2);

    const reader = first.response.body!.getReader();
    await reader.read();
    hub.emit("chat");
    expect(decoder.decode((await reader.read()).value)).toBe("data: chat\n\n");

    second.controller.abort();
    expect(open().response.status).toBe(200);
  });
});
