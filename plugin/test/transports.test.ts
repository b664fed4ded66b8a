import { execFileSync } from "node:child_process";
import net from "node:net";
import { afterEach, describe, expect, test, vi } from "vitest";
import { startPostgres, startRedis } from "./brokers.js";
import { LiveHub, createPostgresTransport, createRedisTransport, type Subscriber, type Transport } from "../src/server/index.js";

// The shared brokers this machine kind runs; `npm test` starts them when they are down.
const BROKERS: Record<string, { url: string; create: (url: string) => Transport }> = {
  redis: { url: "redis://127.0.0.1:6379", create: createRedisTransport },
  postgres: { url: "postgres://postgres@127.0.0.1:5432/test", create: createPostgresTransport },
};

const hubs: LiveHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
  vi.restoreAllMocks();
});

function hubOn(transport: Transport): LiveHub {
  const hub = new LiveHub(transport);
  hubs.push(hub);
  return hub;
}

/** A subscriber that records the channels of the events it receives. */
function recorder(): Subscriber & { events: string[] } {
  const events: string[] = [];
  return { events, event: (channel) => events.push(channel), heartbeat: () => {} };
}

/** Polls `condition` (running `poke` between tries) until it holds or the deadline passes. */
async function until(condition: () => boolean, what: string, poke?: () => void): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    poke?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const unique = (label: string) => `${label}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe.each(Object.entries(BROKERS))("the %s transport", (_, { url, create }) => {
  test("an emit in one process reaches the streams of another, and only of that channel", async () => {
    const publisher = hubOn(create(url));
    const listener = hubOn(create(url));
    const channel = unique("room");
    const other = unique("room");
    const stream = recorder();
    listener.subscribe([channel], stream, 0);
    // The subscription is confirmed by the broker asynchronously: emit until the first one arrives.
    await until(() => stream.events.length > 0, "the first event through the broker", () => publisher.emit(channel));
    const before = stream.events.length;
    publisher.emit(other);
    publisher.emit(channel);
    await until(() => stream.events.length > before, "the next event");
    expect(new Set(stream.events)).toEqual(new Set([channel]));
  });

  test("channel names with every allowed character and the longest length get through", async () => {
    const publisher = hubOn(create(url));
    const listener = hubOn(create(url));
    const channel = `odd_-.:/@${"x".repeat(191)}`;
    expect(channel).toHaveLength(200);
    const stream = recorder();
    listener.subscribe([channel], stream, 0);
    await until(() => stream.events.length > 0, "an event on a 200-character channel", () => publisher.emit(channel));
    expect(stream.events[0]).toBe(channel);
  });

  test("a broker that cannot be reached: emit() does not throw, is counted and logged once, and local streams still hear it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const hub = hubOn(create(url.replace(/:\d+\//, `:${closedPort}/`).replace(/:\d+$/, `:${closedPort}`)));
    const stream = recorder();
    hub.subscribe(["orders"], stream, 0);
    for (let i = 0; i < 5; i++) expect(() => hub.emit("orders")).not.toThrow();
    await until(() => hub.stats().failedEmits === 5, "five failed emits");
    expect(stream.events).toEqual(["orders", "orders", "orders", "orders", "orders"]);
    const outageLines = error.mock.calls.filter(([line]) => /cannot reach|lost/.test(String(line)));
    expect(outageLines).toHaveLength(1);
  });
});

test("Redis holds one subscription per channel, however many streams follow it, and drops it with the last", async () => {
  const hub = hubOn(createRedisTransport(BROKERS.redis!.url));
  const channel = unique("shared");
  const numsub = () => Number(execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "PUBSUB", "NUMSUB", `remix-live:${channel}`], { encoding: "utf8" }).trim().split("\n")[1]);
  const leaves = [recorder(), recorder(), recorder()].map((stream) => hub.subscribe([channel], stream, 0));
  await until(() => numsub() === 1, "one Redis subscription");
  leaves.forEach((leave) => leave());
  await until(() => numsub() === 0, "the subscription to be dropped");
});

describe.each([
  ["redis", startRedis, createRedisTransport],
  ["postgres", startPostgres, createPostgresTransport],
] as const)("a %s restart while streams are open", (_, start, create) => {
  test("the subscriptions come back, every local stream revalidates once, and later emits arrive", { timeout: 90_000 }, async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const server = await start();
    try {
      const publisher = hubOn(create(server.url));
      const listener = hubOn(create(server.url));
      const stream = recorder();
      listener.subscribe(["orders"], stream, 0);
      await until(() => stream.events.length > 0, "the first event", () => publisher.emit("orders"));

      await server.stop();
      const failedBefore = publisher.stats().failedEmits;
      publisher.emit("orders");
      await until(() => publisher.stats().failedEmits > failedBefore, "the emit during the outage to fail");
      const seen = stream.events.length;

      await server.restart();
      // The resync: one event per followed channel, without any emit.
      await until(() => stream.events.length > seen, "the resync after the restart");
      expect(warn.mock.calls.some(([line]) => String(line).includes("reachable again"))).toBe(true);
      const resynced = stream.events.length;
      await until(() => stream.events.length > resynced, "an emit after the restart", () => publisher.emit("orders"));
    } finally {
      await Promise.all(hubs.splice(0).map((hub) => hub.close()));
      await server.remove();
    }
  });
});

test("a broker that is down when the app starts: the app runs, and live updates begin once it is up", { timeout: 60_000 }, async () => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  const server = await startRedis();
  await server.stop();
  try {
    const publisher = hubOn(createRedisTransport(server.url));
    const listener = hubOn(createRedisTransport(server.url));
    const stream = recorder();
    listener.subscribe(["orders"], stream, 0);
    expect(() => publisher.emit("orders")).not.toThrow();
    await server.restart();
    await until(() => stream.events.length > 0, "events once Redis is up", () => publisher.emit("orders"));
  } finally {
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
    await server.remove();
  }
});
