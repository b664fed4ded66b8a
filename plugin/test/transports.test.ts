import { execFileSync } from "node:child_process";
import net from "node:net";
import { afterEach, describe, expect, test, vi } from "vitest";
import { startPostgres, startRedis } from "./brokers.js";
import { assertBuilt, DIST_SERVER_URL, killChildren, runNode } from "./node-process.js";
import { recorder, until } from "./waiting.js";
import {
  LiveHub,
  createPostgresTransport,
  createRedisTransport,
  createTransportFromUrl,
  type Transport,
} from "../src/server/index.js";

// The shared brokers this machine kind runs; `npm test` starts them when they are down.
const BROKERS: Record<string, { url: string; create: (url: string) => Transport }> = {
  redis: { url: "redis://127.0.0.1:6379", create: createRedisTransport },
  postgres: { url: "postgres://postgres@127.0.0.1:5432/test", create: createPostgresTransport },
};

const hubs: LiveHub[] = [];
/** Closed after each test, after the hubs: private brokers, gates, fake servers. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killChildren();
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

function hubOn(transport: Transport, options?: ConstructorParameters<typeof LiveHub>[1]): LiveHub {
  const hub = new LiveHub(transport, options);
  hubs.push(hub);
  return hub;
}



/** Runs redis-cli against 127.0.0.1:`port` and returns its output. */
function redisCli(port: number, args: string[], auth: string[] = []): string {
  return execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "--no-auth-warning", ...auth, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

/** Whether nothing accepts connections on 127.0.0.1:`port` (the broker there is down). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/** The lines logged through `spy` (console.error or console.warn, spied) that contain `text`. */
const loggedLines = (spy: { mock: { calls: unknown[][] } }, text: string) =>
  spy.mock.calls.map((call) => call.map(String).join(" ")).filter((line) => line.includes(text));

/**
 * Whether the transport for `url` has logged the broker as down ("lost ..." or "cannot reach ..."):
 * its connection dropped, so nothing sent before can still arrive through it.
 */
const downLogged = (spy: { mock: { calls: unknown[][] } }, url: string) =>
  loggedLines(spy, `lost ${broker(url)} at ${url} (`).length + loggedLines(spy, `cannot reach ${broker(url)} at ${url} (`).length > 0;
const broker = (url: string) => (url.startsWith("redis") ? "Redis" : "PostgreSQL");
const allLogged = (spy: { mock: { calls: unknown[][] } }) => () => `; logged so far:\n${loggedLines(spy, "").join("\n")}`;

/**
 * A TCP relay to a broker on 127.0.0.1:`target` whose door the test opens and shuts: shut, it drops
 * its relayed connections and refuses new ones. A hub that reaches the broker through it can be kept
 * from the broker after a restart while other hubs are back already.
 */
async function startGate(target: number): Promise<{ port: number; shut(): void; open(): void }> {
  let admitting = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!admitting) return void client.destroy();
    const upstream = net.connect({ host: "127.0.0.1", port: target });
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", drop).on("close", drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const shut = () => {
    admitting = false;
    for (const socket of sockets) socket.destroy();
  };
  cleanups.push(() => {
    shut();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as net.AddressInfo).port, shut, open: () => void (admitting = true) };
}

/**
 * A second server process: loads the built remix-live/server (which connects to REMIX_LIVE_URL),
 * emits each channel written to its stdin, and closes remix-live when stdin ends.
 */
const EMITTING_PROCESS = `
import { createInterface } from "node:readline";
const live = await import(${JSON.stringify(DIST_SERVER_URL)});
const lines = createInterface({ input: process.stdin });
lines.on("line", (channel) => live.emit(channel));
lines.on("close", async () => {
  await live.closeLive();
  console.log("closed");
});
console.log("ready");
`;

/**
 * Emits `channels` through a hub of its own on `transport` until `arrived()`: the subscriptions are
 * then confirmed. Closing that hub waits for its publishes still under way, so none of them can
 * come in (or fail and be published again) later, when the test counts events.
 */
async function warmUp(transport: Transport, arrived: () => boolean, channels: string[]): Promise<void> {
  const hub = hubOn(transport);
  await until(arrived, "the first events through the broker", () => channels.forEach((channel) => hub.emit(channel)));
  await hub.close();
}

const unique = (label: string) => `${label}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe.each(Object.entries(BROKERS))("the %s transport", (_, { url, create }) => {
  test("an emit in another node process (REMIX_LIVE_URL set) reaches the streams of this one, and only of that channel", async () => {
    assertBuilt();
    const listener = hubOn(create(url));
    const channel = unique("room");
    const other = unique("room");
    const stream = recorder();
    listener.subscribe([channel], stream, 0);
    const child = runNode(EMITTING_PROCESS, { env: { REMIX_LIVE_URL: url } });
    await child.waitForOutput("ready");
    // The subscription is confirmed by the broker asynchronously: emit until the first one arrives.
    await until(() => stream.events.length > 0, "the first event from the other process", () => {
      child.send(other);
      child.send(channel);
    });
    expect(await child.finish()).toBe(0);
    expect(child.stdout()).toContain("closed");
    expect(child.stderr()).toBe("");
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

  test("the submission an emit came from travels with it, so the tab that made it can tell its own echo", async () => {
    const publisher = hubOn(create(url));
    const listener = hubOn(create(url));
    const channel = unique("chat");
    const frames: string[] = [];
    listener.subscribe([channel], { event: (_, frame) => frames.push(new TextDecoder().decode(frame)), heartbeat: () => {} }, 0);
    await until(() => frames.length > 0, "a first event through the broker", () => publisher.emit(channel));
    publisher.emit(channel, "k3j9x2ab");
    await until(() => frames.some((frame) => frame.includes("origin")), "the tagged event");
    // The warm-up's emits carried none.
    expect(new Set(frames)).toEqual(new Set([`data: ${channel}\n\n`, `data: ${channel}\norigin: k3j9x2ab\n\n`]));
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
    // Each is retried until the broker takes it, and every failed attempt is counted.
    await until(() => hub.stats().failedEmits >= 5, "five failed emits");
    expect(stream.events).toEqual(["orders", "orders", "orders", "orders", "orders"]);
    const outageLines = error.mock.calls.filter(([line]) => /cannot reach|lost/.test(String(line)));
    expect(outageLines).toHaveLength(1);
  });
});

test("Redis holds one subscription per channel, however many streams follow it, and drops it once the hub's memory of it ends", async () => {
  const redis = createRedisTransport(BROKERS.redis!.url);
  const unsubscribed: string[] = [];
  const hub = hubOn({ ...redis, unsubscribe: (name) => (unsubscribed.push(name), redis.unsubscribe(name)) }, { memoryMs: 300 });
  const channel = unique("shared");
  const numsub = () => Number(execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", "6379", "PUBSUB", "NUMSUB", `remix-live:${channel}`], { encoding: "utf8" }).trim().split("\n")[1]);
  const leaves = [recorder(), recorder(), recorder()].map((stream) => hub.subscribe([channel], stream, 0));
  await until(() => numsub() === 1, "one Redis subscription");
  leaves.forEach((leave) => leave());
  // Kept a while after the last stream left...
  expect(unsubscribed).toEqual([]);
  expect(numsub()).toBe(1);
  // ...and dropped once the hub no longer remembers the channel's changes.
  await until(() => numsub() === 0, "the subscription to be dropped");
});

describe.each(Object.entries(BROKERS))("what a new stream on %s may have missed", (_, { url, create }) => {
  test("a channel may change any moment until its subscription is active; afterwards only what another process emits counts", async () => {
    const hub = hubOn(create(url));
    const other = hubOn(create(url));
    const channel = unique("missed");
    const before = Date.now();
    hub.subscribe([channel], recorder(), 0);
    expect(hub.lastChange([channel])).toBeGreaterThanOrEqual(before);
    // Once the broker delivers the channel here, its last change stays put...
    await until(() => hub.lastChange([channel]) < Date.now(), "the subscription to be active");
    const hearing = hub.lastChange([channel]);
    const loaded = Date.now();
    expect(hub.lastChange([channel])).toBe(hearing);
    // ...until another process emits on it.
    other.emit(channel);
    await until(() => hub.lastChange([channel]) >= loaded, "the other process's emit to be heard");
  });
});

describe.each([
  ["redis", startRedis, createRedisTransport],
  ["postgres", startPostgres, createPostgresTransport],
] as const)("a %s restart while streams are open", (_, start, create) => {
  test(
    "the subscriptions come back: every local stream revalidates exactly once, and a later emit reaches each stream once",
    { timeout: 90_000 },
    async () => {
      const error = vi.spyOn(console, "error").mockImplementation(() => {});
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const server = await start();
      cleanups.push(() => server.remove());
      // The same broker under a URL of its own, so that the log lines of the listening hub can be told apart.
      const listenerUrl = server.url.startsWith("redis") ? `${server.url}/0` : `${server.url}?application_name=listener`;
      const listener = hubOn(create(listenerUrl));
      const orders = [recorder(), recorder(), recorder()];
      const presence = [recorder(), recorder()];
      for (const stream of orders) listener.subscribe(["orders"], stream, 0);
      for (const stream of presence) listener.subscribe(["presence"], stream, 0);
      const streams = [...orders, ...presence];
      await warmUp(create(server.url), () => streams.every((stream) => stream.events.length > 0), ["orders", "presence"]);

      await server.stop();
      // Once the listening hub has seen its connection drop, no event from before can still come in.
      await until(() => downLogged(error, listenerUrl), () => `the listening hub to notice the outage${allLogged(error)()}`);
      const before = streams.map((stream) => stream.events.length);

      await server.restart();
      // The resync: one event per stream, without any emit.
      await until(() => streams.every((stream, i) => stream.events.length >= before[i]! + 1), "the resync after the restart");
      expect(loggedLines(warn, `${listenerUrl} is reachable again`)).toHaveLength(1);

      // One emit per channel afterwards, each waited for before the next (PostgreSQL does not order
      // NOTIFYs sent over different pool connections).
      const publisher = hubOn(create(server.url));
      publisher.emit("orders");
      await until(() => orders.every((stream, i) => stream.events.length >= before[i]! + 2), "an emit on orders after the restart");
      publisher.emit("presence");
      await until(
        () => presence.every((stream, i) => stream.events.length >= before[orders.length + i]! + 2),
        "an emit on presence after the restart",
      );
      expect(streams.map((stream) => stream.events.length)).toEqual(before.map((count) => count + 2));
    },
  );

  test(
    "an emit while the broker is down returns at once, reaches this hub's streams while the broker is still down, and another hub's streams once it is back",
    { timeout: 90_000 },
    async () => {
      const error = vi.spyOn(console, "error").mockImplementation(() => {});
      vi.spyOn(console, "warn").mockImplementation(() => {});
      const server = await start();
      cleanups.push(() => server.remove());
      // The emitting hub reaches the broker through a gate, so that after the restart it can be held
      // back until the other hub is back: the other hub's own resync (one event) is then told apart
      // from the emit that waited for the broker.
      const gate = await startGate(server.port);
      const publisherUrl = server.url.replace(`:${server.port}`, `:${gate.port}`);
      const publisher = hubOn(create(publisherUrl));
      const listener = hubOn(create(server.url));
      const local = recorder();
      const remote = recorder();
      publisher.subscribe(["orders"], local, 0);
      listener.subscribe(["orders"], remote, 0);
      await warmUp(create(server.url), () => remote.events.length > 0 && local.events.length > 0, ["orders"]);

      await server.stop();
      gate.shut();
      await until(
        () => downLogged(error, server.url) && downLogged(error, publisherUrl),
        () => `both hubs to notice the outage${allLogged(error)()}`,
      );
      const localBefore = local.events.length;
      const remoteBefore = remote.events.length;
      const failedBefore = publisher.stats().failedEmits;

      expect(publisher.emit("orders")).toBeUndefined();
      // emit() has returned; this hub's stream hears the emit without the broker, which is still down.
      await until(() => local.events.length === localBefore + 1, "the emit to reach the emitting hub's own stream");
      expect(await refused(server.port)).toBe(true);
      expect(publisher.stats().failedEmits).toBeGreaterThan(failedBefore);
      expect(remote.events.length).toBe(remoteBefore);

      await server.restart();
      await until(() => remote.events.length === remoteBefore + 1, "the other hub's resync after the restart");
      gate.open();
      await until(() => remote.events.length >= remoteBefore + 2, () => `the waiting emit to reach the other hub (it has ${remote.events.length - remoteBefore} events since the outage)`);
      expect(remote.events.length).toBe(remoteBefore + 2);
      // The broker's reply to the publish can come after the other hub got the message.
      await until(() => publisher.stats().pendingEmits === 0, "the publisher to see its retry taken");
    },
  );
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

describe.each([
  ["redis://", "redis://127.0.0.1:6379"],
  ["postgres://", "postgres://postgres@127.0.0.1:5432/test"],
  ["postgresql://", "postgresql://postgres@127.0.0.1:5432/test"],
])("createTransportFromUrl with a %s URL", (_, url) => {
  test("gives a transport that carries events from one hub to another", async () => {
    const publisher = hubOn(createTransportFromUrl(url));
    const listener = hubOn(createTransportFromUrl(url));
    const channel = unique("scheme");
    const stream = recorder();
    listener.subscribe([channel], stream, 0);
    await until(() => stream.events.length > 0, `an event through ${url}`, () => publisher.emit(channel));
    expect(new Set(stream.events)).toEqual(new Set([channel]));
  });
});

test(
  "a rediss:// URL picks the Redis transport, which opens TLS to the URL's host and port and logs the URL with its password hidden (checks the TLS handshake only: there is no Redis with TLS here)",
  async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    let firstBytes: (bytes: Buffer) => void;
    const received = new Promise<Buffer>((resolve) => (firstBytes = resolve));
    // Stands in for a Redis with TLS: keeps what a client sends first, then hangs up.
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", (chunk: Buffer) => {
        firstBytes(chunk);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as net.AddressInfo;

    hubOn(createTransportFromUrl(`rediss://alice:tls-secret@127.0.0.1:${port}/0`));
    const hello = await received;
    // A TLS record of type handshake (22), version 3.x, carrying a ClientHello (1): not Redis's plain protocol.
    expect([hello[0], hello[1], hello[5]]).toEqual([22, 3, 1]);
    await until(() => loggedLines(error, "cannot reach").length > 0, "the failed connection to be logged");
    expect(loggedLines(error, "cannot reach")).toEqual([expect.stringContaining(`cannot reach Redis at rediss://alice:***@127.0.0.1:${port}/0 (`)]);
    expect(loggedLines(error, "tls-secret")).toEqual([]);
  },
);

test(
  "Redis URLs with user:password@ (an ACL user) and :password@ (the default user's password) log in as that user and carry events; a wrong password is logged once, with the password hidden",
  { timeout: 60_000 },
  async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const server = await startRedis();
    cleanups.push(() => server.remove());
    const base = `127.0.0.1:${server.port}`;
    redisCli(server.port, ["ACL", "SETUSER", "alice", "on", ">alice-secret", "~*", "&*", "+@all"]);
    redisCli(server.port, ["CONFIG", "SET", "requirepass", "default-secret"]);
    const asAlice = ["--user", "alice", "--pass", "alice-secret"];
    expect(redisCli(server.port, ["PING"])).toMatch(/^NOAUTH/);

    const publisher = hubOn(createTransportFromUrl(`redis://alice:alice-secret@${base}`));
    const listener = hubOn(createTransportFromUrl(`redis://:default-secret@${base}`));
    const stream = recorder();
    listener.subscribe(["orders"], stream, 0);
    await until(() => stream.events.length > 0, "an event between the two hubs", () => publisher.emit("orders"));
    // Each hub holds two connections (subscribe, publish), logged in as the user its URL names.
    const users = () =>
      redisCli(server.port, ["CLIENT", "LIST"], asAlice)
        .split("\n")
        .filter((line) => !line.includes("cmd=client"))
        .map((line) => /\buser=(\S+)/.exec(line)?.[1])
        .sort();
    await until(() => users().length === 4, "four connections");
    expect(users()).toEqual(["alice", "alice", "default", "default"]);

    hubOn(createTransportFromUrl(`redis://alice:not-the-password@${base}`));
    await until(() => loggedLines(error, "WRONGPASS").length > 0, "the refused login to be logged");
    // The refused hub keeps trying: after a few more refused logins (Redis's ACL LOG counts them) the log still says it once.
    const refusedLogins = () =>
      (JSON.parse(redisCli(server.port, ["--json", "ACL", "LOG"], asAlice)) as { count: number; reason: string; username: string }[])
        .filter((entry) => entry.reason === "auth" && entry.username === "alice")
        .reduce((sum, entry) => sum + entry.count, 0);
    await until(() => refusedLogins() >= 4, "four refused logins");
    expect(loggedLines(error, "WRONGPASS")).toEqual([expect.stringContaining(`cannot reach Redis at redis://alice:***@${base}`)]);
    expect(loggedLines(error, "not-the-password")).toEqual([]);
  },
);
