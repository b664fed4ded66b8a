// `npm run bench:stalled`: what one client that stops reading costs the server. It opens a stream
// to /bench/stream, never reads it, sends 300,000 emits, and reports the server's heap (after a
// full collection) before and after, behind remix-serve, remix-live-serve and the playground's
// custom server with createLiveStreamHandler. Run after `npm run build -w playground`.
import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const playground = path.join(root, "playground");
const PORT = 5471;
const EMITS = 300_000;
const PER_REQUEST = 10_000;

const SERVERS = {
  "remix-serve": [path.join(root, "node_modules/.bin/remix-serve"), ["./build/server/index.js"]],
  "remix-live-serve": [path.join(root, "node_modules/.bin/remix-live-serve"), ["./build/server/index.js"]],
  "custom server + createLiveStreamHandler": [process.execPath, ["server.mjs"]],
};

const request = (method, urlPath) =>
  new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, method, path: urlPath, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
const heap = async () => JSON.parse(await request("GET", "/bench/stats")).heapUsed;

async function measure(command, args) {
  const child = spawn(command, args, {
    cwd: playground,
    stdio: "ignore",
    env: { ...process.env, PORT: String(PORT), NODE_ENV: "production", NODE_OPTIONS: "--expose-gc", DATABASE_PATH: path.join(playground, "data/bench.db") },
  });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await heap();
        break;
      } catch (error) {
        if (attempt > 300) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const before = await heap();
    // A client that stops reading: a small receive buffer, paused from the first byte on.
    const socket = net.connect({ host: "127.0.0.1", port: PORT });
    socket.on("connect", () => socket.write("GET /bench/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"));
    await new Promise((resolve) => socket.once("data", resolve));
    socket.pause();
    for (let sent = 0; sent < EMITS; sent += PER_REQUEST) await request("POST", `/bench/emit?count=${PER_REQUEST}`);
    const after = await heap();
    socket.destroy();
    return { before, after };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
console.log(`\n${new Date().toISOString()}, Node ${process.version}: one stalled client, ${EMITS.toLocaleString("en")} emits\n`);
console.log("| server | heap before | heap after | per emit |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, [command, args]] of Object.entries(SERVERS)) {
  const { before, after } = await measure(command, args);
  console.log(`| ${name} | ${mib(before)} | ${mib(after)} | ${((after - before) / EMITS).toFixed(1)} B |`);
}
