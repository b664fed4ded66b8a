// `npm run bench:heap -- <server> [streams]`: what one open stream keeps on a server's heap. Starts
// one server of bench/servers.mjs, takes a heap snapshot, opens the streams (and holds them), takes
// another, and prints the growth per stream by kind of object, largest first. Compare two servers:
//
//   npm run bench:heap -- remix-live-serve 2000
//   npm run bench:heap -- "handler in Express" 2000
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { buildAll, knownServer, PORT, PROFILE_HOOKS, servers, startServer, stopServer } from "./servers.mjs";

const [serverName = "remix-live-serve", count = "2000"] = process.argv.slice(2);
const name = knownServer(serverName);
const streams = Number(count);
const dir = mkdtempSync(path.join(os.tmpdir(), "remix-live-heap-"));
const prefix = path.join(dir, "heap");

async function snapshot(child) {
  rmSync(`${prefix}.done`, { force: true });
  child.kill("SIGUSR2");
  while (!existsSync(`${prefix}.done`)) await new Promise((resolve) => setTimeout(resolve, 100));
  const file = readdirSync(dir).filter((entry) => entry.endsWith(".heapsnapshot")).sort().pop();
  const taken = summarize(JSON.parse(readFileSync(path.join(dir, file), "utf8")));
  rmSync(path.join(dir, file));
  return taken;
}

/** Self size and count per kind of object: its type and constructor or closure name (strings and code as one kind each). */
function summarize({ snapshot: { meta }, nodes, strings }) {
  const fields = meta.node_fields.length;
  const [type, nameAt, size] = ["type", "name", "self_size"].map((field) => meta.node_fields.indexOf(field));
  const kinds = new Map();
  for (let i = 0; i < nodes.length; i += fields) {
    const kind = meta.node_types[0][nodes[i + type]];
    const key = /string/.test(kind) ? "(strings)" : kind === "code" ? "(compiled code)" : `${kind} ${strings[nodes[i + nameAt]].slice(0, 50)}`;
    const entry = kinds.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += nodes[i + size];
    kinds.set(key, entry);
  }
  return kinds;
}

/** Opens `n` streams on `path`, 200 at a time, and resolves with their sockets once each has its response. */
async function openStreams(path, n) {
  const sockets = [];
  for (let i = 0; i < n; i += 200) {
    const batch = Array.from({ length: Math.min(200, n - i) }, () => {
      const socket = net.connect({ host: "127.0.0.1", port: PORT });
      socket.on("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`));
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once("data", resolve);
        socket.on("error", reject);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

buildAll();
const child = await startServer(name, { nodeFlags: [PROFILE_HOOKS], env: { BENCH_HEAP_SNAPSHOT: prefix } });
try {
  // One stream first, so that what every stream shares (compiled code, caches) is there before.
  const warm = await openStreams(servers[name].load.stream, 1);
  const before = await snapshot(child);
  const sockets = await openStreams(servers[name].load.stream, streams);
  const after = await snapshot(child);
  for (const socket of [...warm, ...sockets]) socket.destroy();

  const rows = [...after].map(([key, { count, bytes }]) => {
    const was = before.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: (count - was.count) / streams, bytes: (bytes - was.bytes) / streams };
  });
  const growth = rows.reduce((sum, row) => sum + row.bytes, 0);
  console.log(`${name}: ${streams} streams, heap growth ${growth.toFixed(0)} B per stream\n`);
  console.log("| bytes per stream | objects per stream | kind |");
  console.log("| ---: | ---: | --- |");
  for (const row of rows.sort((a, b) => b.bytes - a.bytes).slice(0, 20)) {
    console.log(`| ${row.bytes.toFixed(0)} | ${row.count.toFixed(2)} | ${row.key} |`);
  }
} finally {
  await stopServer(child);
  rmSync(dir, { recursive: true, force: true });
}
