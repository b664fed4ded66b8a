import { afterEach, beforeEach, expect, test, vi } from "vitest";

// A stand-in for the browser's EventSource: the test plays the server's side of the connection.
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  private listeners = new Map<string, Set<() => void>>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: () => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  fire(type: "open" | "message" | "error", readyState = this.readyState) {
    this.readyState = type === "open" ? FakeEventSource.OPEN : readyState;
    this.listeners.get(type)?.forEach((listener) => listener());
  }
}

let followStream: typeof import("./connection.js").followStream;
beforeEach(async () => {
  FakeEventSource.instances = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  vi.useFakeTimers();
  vi.resetModules();
  ({ followStream } = await import("./connection.js"));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

test("followers of one URL share one connection, which closes with the last of them", () => {
  const a = vi.fn();
  const b = vi.fn();
  const leaveA = followStream("/chat/stream", a);
  const leaveB = followStream("/chat/stream", b);
  expect(FakeEventSource.instances).toHaveLength(1);
  const source = FakeEventSource.instances[0]!;
  source.fire("open");
  source.fire("message");
  expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 1]);
  leaveA();
  expect(source.readyState).not.toBe(FakeEventSource.CLOSED);
  leaveB();
  expect(source.readyState).toBe(FakeEventSource.CLOSED);
});

test("no revalidation when the stream first opens; one after it reconnects, since events may have been missed", () => {
  const onInvalidate = vi.fn();
  followStream("/chat/stream", onInvalidate);
  const source = FakeEventSource.instances[0]!;
  source.fire("open");
  expect(onInvalidate).not.toHaveBeenCalled();
  source.fire("error", FakeEventSource.CONNECTING); // the browser retries by itself
  source.fire("open");
  expect(onInvalidate).toHaveBeenCalledTimes(1);
});

test("a stream the server refused is retried with growing delays, and the reconnect revalidates", () => {
  const onInvalidate = vi.fn();
  followStream("/chat/stream", onInvalidate);
  FakeEventSource.instances[0]!.fire("error", FakeEventSource.CLOSED); // e.g. a 503
  vi.advanceTimersByTime(999);
  expect(FakeEventSource.instances).toHaveLength(1);
  vi.advanceTimersByTime(1);
  expect(FakeEventSource.instances).toHaveLength(2);
  FakeEventSource.instances[1]!.fire("error", FakeEventSource.CLOSED);
  vi.advanceTimersByTime(1_999);
  expect(FakeEventSource.instances).toHaveLength(2);
  vi.advanceTimersByTime(1);
  expect(FakeEventSource.instances).toHaveLength(3);
  FakeEventSource.instances[2]!.fire("open");
  expect(onInvalidate).toHaveBeenCalledTimes(1);
});

test("leaving stops the retries", () => {
  const leave = followStream("/chat/stream", vi.fn());
  FakeEventSource.instances[0]!.fire("error", FakeEventSource.CLOSED);
  leave();
  vi.advanceTimersByTime(60_000);
  expect(FakeEventSource.instances).toHaveLength(1);
});
