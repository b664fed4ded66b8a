// `npm run bench:emit`: the cost of one emit() as the number of unrelated channels with open
// streams grows. The hub finds a channel's streams with one Map lookup, so it should not grow.
import { performance } from "node:perf_hooks";
import { LiveHub } from "../plugin/dist/server/index.js";

const EMITS = 200_000;
const noop = { event() {}, heartbeat() {} };
const rows = [];
for (const unrelated of [0, 1_000, 100_000]) {
  const hub = new LiveHub();
  for (let i = 0; i < unrelated; i++) hub.subscribe([`other:${i}`], noop, 0);
  hub.subscribe(["target"], noop, 0);
  for (let i = 0; i < 10_000; i++) hub.emit("target"); // warm-up
  const start = performance.now();
  for (let i = 0; i < EMITS; i++) hub.emit("target");
  rows.push({ unrelated, nsPerEmit: ((performance.now() - start) * 1e6) / EMITS });
  await hub.close();
}
console.log(`\n${new Date().toISOString()}, Node ${process.version}, ${EMITS} emits to a channel with one stream\n`);
console.log("| unrelated channels | ns per emit | vs none |");
console.log("| ---: | ---: | ---: |");
for (const row of rows) console.log(`| ${row.unrelated} | ${row.nsPerEmit.toFixed(0)} | ${(row.nsPerEmit / rows[0].nsPerEmit).toFixed(2)}x |`);
