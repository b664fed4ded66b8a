// The client side of the benchmark, in its own process: opens N raw HTTP connections to an event
// stream, triggers emits, and times how long until every connection has each event.
//
//   node bench/load.mjs '{"port":5400,"stream":"/stream","emit":"/emit","stats":"/stats","count":"streams","connections":1000,"events":20}'
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";

const config = JSON.parse(process.argv[2]);
const { port, connections, events } = config;
const BATCH = 200;
/** Connections per loopback source address: a socket bound to a source address gets its port at bind(), where Linux uses half the ephemeral range (about 14,000 ports). */
const PER_SOURCE_ADDRESS = 12_000;
let opened = 0;
const TIMEOUT_MS = 120_000;
/** Where the monotonic clock's zero is on performance's wall-clock scale, in ms. */
const epochOfMonotonicClock = performance.timeOrigin + performance.now() - Number(process.hrtime.bigint()) / 1e6;

function request(method, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

const stats = async () => JSON.parse(await request("GET", config.stats));

/** Resolves once `condition()` holds, checking every few milliseconds; fails after the timeout. */
async function until(condition, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

class Connection {
  constructor() {
    this.connected = false;
    this.events = 0;
    this.lastEventAt = 0;
    // 127.0.0.1, then 127.0.0.2, ...: each source address has its own ephemeral ports.
    // Each measurement has addresses of its own (`run`): the sockets of the last one linger in TIME_WAIT.
    const source = `127.0.${config.run ?? 0}.${1 + Math.floor(opened++ / PER_SOURCE_ADDRESS)}`;
    this.socket = net.connect({ host: "127.0.0.1", port, localAddress: source });
    this.socket.setNoDelay(true);
    this.socket.on("connect", () =>
      this.socket.write(`GET ${config.stream} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    this.opened = new Promise((resolve, reject) => {
      this.socket.on("error", reject);
      this.socket.on("data", (chunk) => {
        const text = chunk.toString("latin1");
        if (!this.connected && text.startsWith("HTTP/1.1 ")) {
          if (!text.startsWith("HTTP/1.1 200")) reject(new Error(`stream refused: ${text.split("\r\n")[0]}`));
          this.connected = true;
          resolve();
        }
        const found = text.split("data:").length - 1;
        if (found > 0) {
          this.events += found;
          this.lastEventAt = performance.now();
        }
      });
    });
  }
}

async function main() {
  const before = await stats();
  const opening = performance.now();
  const open = [];
  for (let i = 0; i < connections; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, connections - i) }, () => new Connection());
    await Promise.all(batch.map((connection) => connection.opened));
    open.push(...batch);
  }
  const connectMs = performance.now() - opening;
  await until(async () => (await stats())[config.count] >= connections, "the server to count every stream");
  const after = await stats();

  const delivery = [];
  /** Each event's [sent, on every connection] on the monotonic clock in µs, the clock of a CPU profile's samples. */
  const windows = [];
  for (let event = 1; event <= events; event++) {
    const sent = performance.now();
    await request("POST", config.emit);
    await until(() => open.every((connection) => connection.events >= event), `event ${event} on every connection`);
    const last = Math.max(...open.map((connection) => connection.lastEventAt));
    delivery.push(last - sent);
    windows.push([sent, last].map((at) => Math.round((performance.timeOrigin - epochOfMonotonicClock + at) * 1000)));
  }

  for (const connection of open) connection.socket.destroy();
  await until(async () => (await stats())[config.count] === 0, "the server to release every stream");
  const released = await stats();

  delivery.sort((a, b) => a - b);
  const percentile = (p) => delivery[Math.min(delivery.length - 1, Math.ceil((p / 100) * delivery.length) - 1)];
  console.log(
    JSON.stringify({
      connectMs,
      rssPerConnection: (after.rss - before.rss) / connections,
      p50: percentile(50),
      p99: percentile(99),
      heapBefore: before.heapUsed,
      heapAfterRelease: released.heapUsed,
      windows,
    }),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
