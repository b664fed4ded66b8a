// `npm run bench:transports`: time from emit() in one process until a stream's subscriber in
// another process has the event, through Redis and through PostgreSQL, next to the in-process bus
// (emit and subscriber in one process) in the same run. Uses the shared brokers on 127.0.0.1
// (scripts/ensure-services.mjs starts them) and the built plugin (npm run build).
import { fork } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { LiveHub, createTransportFromUrl } from "../plugin/dist/server/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = 300;
const now = () => performance.timeOrigin + performance.now();
const TRANSPORTS = {
  "in-process": undefined,
  redis: "redis://127.0.0.1:6379",
  postgres: "postgres://postgres@127.0.0.1:5432/test",
};

async function inProcess() {
  const hub = new LiveHub();
  let arrived = 0;
  hub.subscribe(["bench"], { event: () => (arrived = now()), heartbeat: () => {} }, 0);
  const samples = [];
  for (let i = 0; i < EVENTS; i++) {
    const sent = now();
    hub.emit("bench");
    samples.push(arrived - sent);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await hub.close();
  return samples;
}

async function acrossProcesses(url) {
  const listener = fork(path.join(here, "transport-listener.mjs"), [url]);
  const arrivals = [];
  let notify = () => {};
  listener.on("message", (message) => {
    if (message.at) {
      arrivals.push(message.at);
      notify();
    }
  });
  await new Promise((resolve) => listener.once("message", resolve));
  const hub = new LiveHub(createTransportFromUrl(url));
  // Wait until the listener's subscription is in place: emit until one arrives.
  while (arrivals.length === 0) {
    hub.emit("bench");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  const samples = [];
  for (let i = 0; i < EVENTS; i++) {
    const seen = arrivals.length;
    const arrived = new Promise((resolve) => (notify = () => arrivals.length > seen && resolve()));
    const sent = now();
    hub.emit("bench");
    await arrived;
    samples.push(arrivals[seen] - sent);
  }
  listener.send("stop");
  await new Promise((resolve) => listener.once("exit", resolve));
  await hub.close();
  return samples;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const results = {};
for (const [name, url] of Object.entries(TRANSPORTS)) {
  process.stdout.write(`Measuring ${name}...\n`);
  const samples = (url ? await acrossProcesses(url) : await inProcess()).sort((a, b) => a - b);
  results[name] = { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
const base = results["in-process"];
console.log(`\n${new Date().toISOString()}, Node ${process.version}, ${EVENTS} events each, emit → subscriber\n`);
console.log("| transport | p50 | p99 | p50 vs in-process | p99 vs in-process |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${r.p50.toFixed(3)} ms | ${r.p99.toFixed(3)} ms | ${(r.p50 / base.p50).toFixed(0)}x | ${(r.p99 / base.p99).toFixed(0)}x |`);
}
process.exit(0);
