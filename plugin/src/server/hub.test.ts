import { expect, test, vi } from "vitest";
import { LiveHub, type Subscriber } from "./hub.js";
import type { Transport, TransportHandlers } from "./transport.js";

/** A transport that records what the hub asks of it, and lets the test play the broker. */
function recordingTransport() {
  const calls: string[] = [];
  let handlers!: TransportHandlers;
  const transport: Transport = {
    start: (next) => void (handlers = next),
    publish: (channel) => void calls.push(`publish ${channel}`),
    subscribe: (channel) => void calls.push(`subscribe ${channel}`),
    unsubscribe: (channel) => void calls.push(`unsubscribe ${channel}`),
    close: async () => void calls.push("close"),
  };
  return { transport, calls, broker: () => handlers };
}

const recorder = (): Subscriber & { events: string[] } => {
  const events: string[] = [];
  return { events, event: (channel) => events.push(channel), heartbeat: () => {} };
};

test("one transport subscription per channel, however many streams follow it, kept a minute after the last leaves", () => {
  vi.useFakeTimers();
  try {
    const { transport, calls } = recordingTransport();
    const hub = new LiveHub(transport);
    const leave = [recorder(), recorder(), recorder()].map((stream) => hub.subscribe(["room:1", "presence"], stream, 0));
    expect(calls).toEqual(["subscribe room:1", "subscribe presence"]);
    leave[0]!();
    leave[1]!();
    leave[2]!();
    // A page that comes back within the minute finds the subscription still there.
    vi.advanceTimersByTime(59_000);
    const back = hub.subscribe(["room:1"], recorder(), 0);
    expect(calls).toHaveLength(2);
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual(["subscribe room:1", "subscribe presence", "unsubscribe presence"]);
    back();
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual(["subscribe room:1", "subscribe presence", "unsubscribe presence", "unsubscribe room:1"]);
    expect(hub.stats().channels).toEqual({});
  } finally {
    vi.useRealTimers();
  }
});

test("with the in-process transport, the hub knows when each channel last changed: as long as a stream follows it, and otherwise until the change is a minute old", () => {
  vi.useFakeTimers();
  try {
    const hub = new LiveHub();
    // Nothing changed yet: the hub vouches for everything since this process started.
    expect(hub.lastChange(["chat"])).toBe(performance.timeOrigin);
    hub.subscribe(["rooms"], recorder(), 0);
    vi.advanceTimersByTime(10);
    // Emits nobody follows count too: a page that loaded before them has not seen them.
    hub.emit("chat");
    const emitted = Date.now();
    vi.advanceTimersByTime(10);
    expect(hub.lastChange(["chat"])).toBe(emitted);
    expect(hub.lastChange(["rooms", "chat"])).toBe(emitted);
    expect(hub.lastChange(["rooms"])).toBe(performance.timeOrigin);
    // Two minutes on (the hub forgets as it notes the next change), nobody followed the chat: its
    // change is forgotten, and any channel the hub does not remember may have changed up to then.
    // The followed one is still known to be quiet.
    vi.advanceTimersByTime(120_000);
    hub.emit("presence");
    expect(hub.lastChange(["chat"])).toBe(emitted);
    expect(hub.lastChange(["news"])).toBe(emitted);
    expect(hub.lastChange(["rooms"])).toBe(performance.timeOrigin);
    expect(hub.lastChange([])).toBe(0);
  } finally {
    vi.useRealTimers();
  }
});

test("a channel a stream begins to follow after its change was forgotten is remembered as changed then, however long it stays quiet", () => {
  vi.useFakeTimers();
  try {
    const hub = new LiveHub();
    hub.emit("chat");
    const emitted = Date.now();
    vi.advanceTimersByTime(120_000);
    hub.emit("presence");
    hub.subscribe(["chat"], recorder(), 0);
    vi.advanceTimersByTime(600_000);
    expect(hub.lastChange(["chat"])).toBe(emitted);
  } finally {
    vi.useRealTimers();
  }
});

test("with a broker, a channel may have changed until its subscription is active, and up to the end of an outage", async () => {
  vi.useFakeTimers();
  try {
    let active = () => {};
    const { transport, broker } = recordingTransport();
    transport.subscribe = () => new Promise<void>((resolve) => (active = resolve));
    const hub = new LiveHub(transport);
    hub.subscribe(["room:1"], recorder(), 0);
    // Another process may emit before the broker delivers the channel here: it may change any moment.
    vi.advanceTimersByTime(10);
    expect(hub.lastChange(["room:1"])).toBe(Date.now());
    active();
    await Promise.resolve();
    const hearing = Date.now();
    vi.advanceTimersByTime(10);
    expect(hub.lastChange(["room:1"])).toBe(hearing);
    broker().deliver("room:1");
    expect(hub.lastChange(["room:1"])).toBe(Date.now());
    // During an outage nothing says a change was missed; the transport's resync, once it is back,
    // tells every stream to revalidate, and new pages that the channel may have changed then.
    vi.advanceTimersByTime(10);
    broker().resync();
    expect(hub.lastChange(["room:1"])).toBe(Date.now());
  } finally {
    vi.useRealTimers();
  }
});

test("after an outage the transport's resync makes every local stream revalidate once", () => {
  const { transport, broker } = recordingTransport();
  const hub = new LiveHub(transport);
  const a = recorder();
  const b = recorder();
  hub.subscribe(["room:1"], a, 0);
  hub.subscribe(["room:2"], b, 0);
  broker().resync();
  expect(a.events).toEqual(["room:1"]);
  expect(b.events).toEqual(["room:2"]);
});

test("moving to another transport subscribes the followed channels there and closes the old one", async () => {
  const first = recordingTransport();
  const second = recordingTransport();
  const hub = new LiveHub(first.transport);
  const stream = recorder();
  hub.subscribe(["room:1"], stream, 0);
  await hub.setTransport(second.transport);
  expect(second.calls).toEqual(["subscribe room:1"]);
  expect(first.calls.at(-1)).toBe("close");
  expect(stream.events).toEqual(["room:1"]);
  // Late events from the old transport are ignored.
  first.broker().deliver("room:1");
  expect(stream.events).toEqual(["room:1"]);
  second.broker().deliver("room:1");
  expect(stream.events).toEqual(["room:1", "room:1"]);
});

test("closing the hub ends every stream and the transport", async () => {
  const { transport, calls } = recordingTransport();
  const hub = new LiveHub(transport);
  let closed = 0;
  hub.subscribe(["a", "b"], { ...recorder(), close: () => void closed++ }, 0);
  hub.subscribe(["a"], { ...recorder(), close: () => void closed++ }, 0);
  await hub.close();
  expect(closed).toBe(2);
  expect(calls.at(-1)).toBe("close");
});

/** A transport whose broker can be made unreachable: publishes then fail, as ioredis's do. */
function flakyTransport() {
  const published: string[] = [];
  let handlers!: TransportHandlers;
  let reachable = false;
  const transport: Transport = {
    start: (next) => void (handlers = next),
    publish: async (channel) => {
      if (!reachable) throw new Error("Stream isn't writeable");
      published.push(channel);
    },
    subscribe: () => {},
    unsubscribe: () => {},
    close: async () => {},
    describeFailure: () => {},
  };
  return {
    transport,
    published,
    /** The broker becomes reachable and the transport says so. */
    connect: () => {
      reachable = true;
      handlers.ready?.();
    },
    /** The broker becomes reachable, but the transport does not notice by itself. */
    recoverQuietly: () => void (reachable = true),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("emits made before the broker is reachable wait, one per channel, and are published once it is", async () => {
  const flaky = flakyTransport();
  const hub = new LiveHub(flaky.transport);
  const local = recorder();
  hub.subscribe(["chat"], local, 0);
  for (let i = 0; i < 1000; i++) hub.emit("chat");
  hub.emit("room:1");
  await settle();
  // This process's own streams hear every emit at once; the broker has none of them yet.
  expect(local.events).toHaveLength(1000);
  expect(flaky.published).toEqual([]);
  expect(hub.stats().pendingEmits).toBe(2);
  flaky.connect();
  await settle();
  expect(flaky.published.sort()).toEqual(["chat", "room:1"]);
  expect(hub.stats().pendingEmits).toBe(0);
});

test("waiting emits are retried on a timer when the transport does not say it is back", async () => {
  const flaky = flakyTransport();
  const hub = new LiveHub(flaky.transport);
  hub.emit("chat");
  await settle();
  flaky.recoverQuietly();
  await expect.poll(() => flaky.published, { timeout: 5_000 }).toEqual(["chat"]);
  expect(hub.stats().pendingEmits).toBe(0);
});

test("a waiting emit is published once when the transport says it is back while a timed retry is still under way", async () => {
  const flaky = flakyTransport();
  const hub = new LiveHub(flaky.transport);
  hub.emit("chat");
  await settle();
  // The broker is back, but slow to answer: the timer's retry is still under way when ready() comes.
  const answers: Array<() => void> = [];
  const publish = flaky.transport.publish;
  flaky.transport.publish = (channel) => new Promise<void>((resolve) => answers.push(resolve)).then(() => publish(channel));
  flaky.recoverQuietly();
  await expect.poll(() => answers.length, { timeout: 5_000 }).toBe(1);
  flaky.connect();
  await settle();
  expect(answers).toHaveLength(1);
  answers.forEach((answer) => answer());
  await expect.poll(() => hub.stats().pendingEmits, { timeout: 5_000 }).toBe(0);
  expect(flaky.published).toEqual(["chat"]);
});

test("closing the hub publishes the emits still waiting for the broker first", async () => {
  const flaky = flakyTransport();
  const hub = new LiveHub(flaky.transport);
  hub.emit("chat");
  const closed = hub.close();
  setTimeout(flaky.connect, 50);
  await closed;
  expect(flaky.published).toEqual(["chat"]);
});

test("closing the hub gives up on waiting emits after its flush timeout, and names them in one line", async () => {
  const flaky = flakyTransport();
  const hub = new LiveHub(flaky.transport);
  const lines: string[] = [];
  const error = console.error;
  console.error = (line: unknown) => void lines.push(String(line));
  try {
    hub.emit("chat");
    hub.emit("room:1");
    await hub.close({ flushTimeout: 50 });
  } finally {
    console.error = error;
  }
  expect(flaky.published).toEqual([]);
  expect(lines).toEqual([`[remix-live] closing with 2 emit(s) the broker never took within 50 ms; other processes will not hear them: "chat", "room:1".`]);
});

test("an emit encodes its frame once: every subscriber of the channel gets the very same `data: <channel>` bytes object", () => {
  const hub = new LiveHub(); // The default transport: this process only.
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 5; i++) hub.subscribe(["chat"], { event: (_, frame) => void frames.push(frame), heartbeat: () => {} }, 0);
  hub.emit("chat");
  expect(frames).toHaveLength(5);
  for (const frame of frames) expect(frame).toBe(frames[0]);
  expect(new TextDecoder().decode(frames[0])).toBe("data: chat\n\n");
  // The next emit is a frame of its own, shared by all again.
  hub.emit("chat");
  expect(frames).toHaveLength(10);
  expect(frames[5]).not.toBe(frames[0]);
  for (const frame of frames.slice(5)) expect(frame).toBe(frames[5]);
});

test("heartbeats are spread over the interval: every stream hears one per interval, never all of them in one tick", () => {
  vi.useFakeTimers();
  try {
    const hub = new LiveHub();
    const beats = Array.from({ length: 32 }, () => 0);
    const leave = beats.map((_, i) => hub.subscribe(["chat"], { event: () => {}, heartbeat: () => void beats[i]!++ }, 800));
    const heard = () => beats.filter((count) => count > 0).length;
    vi.advanceTimersByTime(100);
    expect(heard()).toBe(4);
    vi.advanceTimersByTime(700);
    expect(beats).toEqual(beats.map(() => 1));
    vi.advanceTimersByTime(800);
    expect(beats).toEqual(beats.map(() => 2));
    for (const unsubscribe of leave) unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
  } finally {
    vi.useRealTimers();
  }
});

test("a broker subscription that failed is heard from the transport's resync on, when it has subscribed everything again", async () => {
  vi.useFakeTimers();
  try {
    const { transport, broker } = recordingTransport();
    transport.subscribe = () => Promise.reject(new Error("the broker is down"));
    const hub = new LiveHub(transport);
    hub.subscribe(["room:1"], recorder(), 0);
    await Promise.resolve();
    vi.advanceTimersByTime(10);
    expect(hub.lastChange(["room:1"])).toBe(Date.now());
    broker().resync();
    const resynced = Date.now();
    vi.advanceTimersByTime(10);
    expect(hub.lastChange(["room:1"])).toBe(resynced);
  } finally {
    vi.useRealTimers();
  }
});
