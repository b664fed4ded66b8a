/**
 * Fan-out over real sockets: a `node:http` server on 127.0.0.1 serves `createEventStream()` for
 * one `LiveHub` per test, and raw TCP clients read the bytes the way a browser's EventSource would.
 */
import { execFileSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { setImmediate as immediate, setTimeout as delay } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { startRedis } from "./brokers.js";
import { createEventStream, createRedisTransport, type EventStreamOptions, LiveHub, type Transport } from "../src/server/index.js";

const REQUEST = "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n";
const EVENT = "data: chat";
const OPEN = "retry: 1000\n: connected\n\n";
/** The first bytes of each response are kept: status line, headers and the open frame fit. */
const HEAD_LIMIT = 4096;

/**
 * Polls `condition` until it holds, yielding to the event loop between checks (mostly with
 * `setImmediate`, now and then with a 1 ms timer so the loop does not spin hot). Throws once
 * `timeoutMs` has passed, with `explain()` telling what was still missing.
 */
async function waitFor(condition: () => boolean, explain: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; !condition(); round += 1) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${explain()}`);
    await (round % 16 === 15 ? delay(1) : immediate());
  }
}

/** One raw TCP client of `/stream`. */
class Client {
  readonly socket: net.Socket;
  /** The first `HEAD_LIMIT` characters received. */
  head = "";
  /** Occurrences of `data: chat` received so far. */
  events = 0;
  error: Error | undefined;
  closed = false;
  #tail = "";

  constructor(port: number, options: { paused?: boolean; onClose?: (client: Client) => void } = {}) {
    this.socket = net.connect({ port, host: "127.0.0.1" });
    this.socket.on("error", (error) => {
      this.error = error;
    });
    this.socket.on("close", () => {
      this.closed = true;
      options.onClose?.(this);
    });
    this.socket.write(REQUEST);
    if (options.paused) {
      // Never reads: whatever the server sends piles up in the kernel and in this socket's buffer.
      this.socket.pause();
      return;
    }
    this.socket.setEncoding("latin1");
    this.socket.on("data", (chunk: string) => this.#receive(chunk));
  }

  get connected(): boolean {
    return this.head.includes(OPEN);
  }

  /** Status line and headers, once they have all arrived. */
  get headers(): string | undefined {
    const end = this.head.indexOf("\r\n\r\n");
    return end === -1 ? undefined : this.head.slice(0, end);
  }

  #receive(chunk: string): void {
    if (this.head.length < HEAD_LIMIT) this.head += chunk.slice(0, HEAD_LIMIT - this.head.length);
    // Counted across chunk boundaries: the tail is too short to hold a whole occurrence itself.
    const text = this.#tail + chunk;
    for (let at = text.indexOf(EVENT); at !== -1; at = text.indexOf(EVENT, at + EVENT.length)) this.events += 1;
    this.#tail = text.slice(-(EVENT.length - 1));
  }
}

interface Fixture {
  hub: LiveHub;
  port: number;
  /** Open responses by the client's port, as the server sees it. */
  responses: Map<number, { res: http.ServerResponse; body: Readable }>;
  /** Clients not yet closed, for the cleanup. */
  clients: Set<Client>;
  connect(options?: { paused?: boolean }): Client;
}

const servers = new Set<http.Server>();
const openClients = new Set<Client>();
/** Hubs and brokers a test started, released after it. */
const releases: (() => Promise<void>)[] = [];

async function startServer(options: Pick<EventStreamOptions, "maxStreams"> = {}, transport?: Transport): Promise<Fixture> {
  const hub = new LiveHub(transport);
  releases.push(() => hub.close({ flushTimeout: 0 }));
  const responses: Fixture["responses"] = new Map();
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith("/stream")) {
      res.writeHead(404).end();
      return;
    }
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const request = new Request("http://127.0.0.1" + req.url, { signal: controller.signal });
    const response = createEventStream(request, "chat", { hub, heartbeatInterval: 0, ...options });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    const body = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    body.on("error", (error) => res.destroy(error));
    const port = req.socket.remotePort!;
    const entry = { res, body };
    responses.set(port, entry);
    res.on("close", () => {
      if (responses.get(port) === entry) responses.delete(port);
    });
    body.pipe(res);
  });
  servers.add(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const clients = new Set<Client>();
  return {
    hub,
    port,
    responses,
    clients,
    connect(connectOptions = {}) {
      const client = new Client(port, {
        ...connectOptions,
        onClose: (closed) => {
          clients.delete(closed);
          openClients.delete(closed);
        },
      });
      clients.add(client);
      openClients.add(client);
      return client;
    },
  };
}

async function closeEverything(): Promise<void> {
  for (const client of openClients) client.socket.destroy();
  openClients.clear();
  const closing = [...servers].map(
    (server) =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  servers.clear();
  await Promise.all(closing);
  for (const release of releases.splice(0).reverse()) await release();
}

afterEach(closeEverything);
afterAll(closeEverything);

const countWhere = <T>(items: Iterable<T>, predicate: (item: T) => boolean) => {
  let count = 0;
  for (const item of items) if (predicate(item)) count += 1;
  return count;
};

const firstError = (clients: Iterable<Client>) => {
  for (const client of clients) if (client.error) return client.error.message;
  return "none";
};

describe("fan-out over real connections", () => {
  test(
    "500 streams on one channel hold one broker subscription (one SUBSCRIBE, one subscriber in a private Redis), each gets an emit from another hub exactly once, and no MaxListenersExceededWarning is emitted",
    { timeout: 60_000 },
    async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => {
        if (warning.name === "MaxListenersExceededWarning") warnings.push(warning);
      };
      process.on("warning", onWarning);
      try {
        const redis = await startRedis();
        releases.push(() => redis.remove());
        const ask = (...args: string[]) =>
          execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(redis.port), ...args], { encoding: "utf8" }).trim();
        /** Calls of `command` Redis has served since it started (its INFO commandstats). */
        const calls = (command: string) => Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, "m").exec(ask("INFO", "commandstats"))?.[1] ?? 0);
        const subscribers = () => Number(ask("PUBSUB", "NUMSUB", "remix-live:chat").split("\n")[1]);

        const { hub, connect } = await startServer({}, createRedisTransport(redis.url));
        const clients = Array.from({ length: 500 }, () => connect());
        await waitFor(
          () => hub.stats().channels.chat === 500 && hub.stats().streams === 500,
          () => `the hub has 500 streams on "chat": ${JSON.stringify(hub.stats())} (first client error: ${firstError(clients)})`,
        );
        await waitFor(
          () => clients.every((client) => client.connected),
          () => `all 500 clients got the open frame: ${countWhere(clients, (client) => client.connected)} did`,
        );
        await waitFor(
          () => subscribers() === 1,
          () => `Redis has one subscriber of remix-live:chat: it has ${subscribers()}`,
        );
        expect(calls("subscribe")).toBe(1);
        expect(hub.stats()).toEqual({ streams: 500, channels: { chat: 500 }, failedEmits: 0, pendingEmits: 0 });

        // Another server process's hub; an emit it cannot publish yet waits and is published once.
        const emitter = new LiveHub(createRedisTransport(redis.url));
        releases.push(() => emitter.close());
        emitter.emit("chat");
        await waitFor(
          () => clients.every((client) => client.events >= 1),
          () => `all 500 clients received "${EVENT}": ${countWhere(clients, (client) => client.events >= 1)} did`,
        );
        expect(clients.map((client) => client.events)).toEqual(clients.map(() => 1));
        expect(calls("publish")).toBe(1);
        expect(calls("subscribe")).toBe(1);
        expect(subscribers()).toBe(1);
        // Warnings are emitted on a later tick: give them one before looking.
        await immediate();
        expect(warnings.map((warning) => warning.message)).toEqual([]);
      } finally {
        process.off("warning", onWarning);
      }
    },
  );

  test(
    "a client that never reads does not hold up the others, and server memory for it stays bounded",
    { timeout: 30_000 },
    async () => {
      const EMITS = 20_000;
      const FRAME_BYTES = `${EVENT}\n\n`.length;
      const BOUND = 64 * 1024;
      const { hub, responses, connect } = await startServer();

      const paused = connect({ paused: true });
      const readers = Array.from({ length: 20 }, () => connect());
      await waitFor(
        () => hub.stats().streams === 21 && readers.every((client) => client.connected),
        () =>
          `21 streams are open and 20 readers got the open frame: ${JSON.stringify(hub.stats())}, ` +
          `${countWhere(readers, (client) => client.connected)} readers connected`,
      );
      const pausedResponse = responses.get(paused.socket.localPort!);
      expect(pausedResponse, "the server holds the paused client's response").toBeDefined();
      const { res, body } = pausedResponse!;
      const serverSocket = res.socket!;

      // Sampled at every yield: the most the server held at once, not only what is left at the end.
      let peakWritable = 0;
      let peakReadable = 0;
      const sample = () => {
        peakWritable = Math.max(peakWritable, res.writableLength);
        peakReadable = Math.max(peakReadable, body.readableLength);
      };
      for (let i = 1; i <= EMITS; i += 1) {
        hub.emit("chat");
        if (i % 100 === 0) {
          sample();
          await immediate();
        }
      }
      sample();

      const before = readers.map((client) => client.events);
      hub.emit("chat");
      await waitFor(
        () => readers.every((client, index) => client.events > before[index]!),
        () =>
          `every reader received an event after the last emit: ` +
          `${readers.filter((client, index) => client.events > before[index]!).length} of 20 did ` +
          `(counts ${readers.map((client) => client.events).join(", ")})`,
      );
      sample();

      const uncollapsed = EMITS * FRAME_BYTES;
      const without = `without collapsing, ${EMITS} frames × ${FRAME_BYTES} bytes = ${uncollapsed} bytes would be queued for it`;
      expect(
        peakWritable,
        `the paused client's response buffered up to ${peakWritable} bytes (its body stream up to ` +
          `${peakReadable} more); ${without}`,
      ).toBeLessThan(BOUND);
      // On loopback the kernel's socket buffers can swallow a few hundred kilobytes, so the line above
      // may read 0 either way. Everything the server wrote towards the client, kernel included, shows
      // whether repeats were collapsed.
      expect(
        serverSocket.bytesWritten,
        `the server wrote ${serverSocket.bytesWritten} bytes (headers included) towards the client that ` +
          `never reads; ${without}`,
      ).toBeLessThan(BOUND);
      expect(paused.socket.bytesRead, "the paused client read nothing").toBe(0);
      expect(hub.stats()).toEqual({ streams: 21, channels: { chat: 21 }, failedEmits: 0, pendingEmits: 0 });
    },
  );

  test("10,000 connect/disconnect cycles leave no subscription behind", { timeout: 45_000 }, async () => {
    const TOTAL = 10_000;
    const BATCH = 200;
    const { hub, connect } = await startServer();
    const gc = globalThis.gc;
    if (!gc) throw new Error("globalThis.gc is missing: the tests must run with --expose-gc (see vite.config.ts)");
    const idle = { streams: 0, channels: {}, failedEmits: 0, pendingEmits: 0 };

    const cycle = async (done: number) => {
      const batch = Array.from({ length: BATCH }, () => connect());
      await waitFor(
        () => batch.every((client) => client.connected),
        () =>
          `${BATCH} clients of the batch after ${done} cycles got "${OPEN.replace(/\n/g, "\\n")}": ` +
          `${countWhere(batch, (client) => client.connected)} did (first error: ${firstError(batch)})`,
      );
      for (const client of batch) client.socket.destroy();
    };
    const drained = async () => {
      await waitFor(
        () => isDeepStrictEqual(hub.stats(), idle),
        () => `the hub is idle again: ${JSON.stringify(hub.stats())}`,
      );
    };
    const heapAfterGc = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };

    // Warm-up: the first batch counts towards the total and sets the heap baseline.
    await cycle(0);
    let opened = BATCH;
    await drained();
    const baseline = heapAfterGc();

    while (opened < TOTAL) {
      await cycle(opened);
      opened += BATCH;
    }
    expect(opened).toBe(TOTAL);
    await drained();
    expect(hub.stats()).toEqual(idle);

    const after = heapAfterGc();
    const allowance = 20 * 1024 * 1024;
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    expect(
      after,
      `heap after ${TOTAL} cycles is ${mib(after)}; after the ${BATCH}-cycle warm-up it was ${mib(baseline)} ` +
        `(bound: baseline + ${mib(allowance)} = ${mib(baseline + allowance)})`,
    ).toBeLessThan(baseline + allowance);
  });

  test("the stream cap refuses new streams with 503 over a real connection", async () => {
    const { hub, connect } = await startServer({ maxStreams: 3 });
    const admitted = Array.from({ length: 3 }, () => connect());
    await waitFor(
      () => hub.stats().streams === 3 && admitted.every((client) => client.connected),
      () => `3 streams are open: ${JSON.stringify(hub.stats())}`,
    );

    const refused = connect();
    await waitFor(
      () => refused.headers !== undefined,
      () => `the 4th client received a status line and headers: got ${JSON.stringify(refused.head)}`,
    );
    const [statusLine, ...headerLines] = refused.headers!.split("\r\n");
    expect(statusLine).toMatch(/^HTTP\/1\.1 503\b/);
    expect(headerLines.some((line) => /^retry-after:\s*\d+$/i.test(line)), refused.headers).toBe(true);
    expect(refused.head).not.toContain(": connected");
    expect(hub.stats().streams).toBe(3);

    hub.emit("chat");
    await waitFor(
      () => admitted.every((client) => client.events >= 1),
      () => `the 3 admitted clients received "${EVENT}": ${countWhere(admitted, (client) => client.events >= 1)} did`,
    );
    expect(refused.events).toBe(0);
  });
});
