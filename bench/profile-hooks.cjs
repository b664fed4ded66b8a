// Loaded into a benchmarked server (`node --require`) by bench/profile-fan-out.mjs and
// bench/heap-per-stream.mjs: records garbage collections on the monotonic clock (µs), exits on
// SIGTERM so that --cpu-prof writes its profile, and writes a heap snapshot on SIGUSR2.
const { PerformanceObserver, performance } = require("node:perf_hooks");
const { writeFileSync } = require("node:fs");
const v8 = require("node:v8");

const monotonicOrigin = Number(process.hrtime.bigint()) / 1e3 - performance.now() * 1e3;
const collections = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push({ at: Math.round(monotonicOrigin + entry.startTime * 1e3), ms: entry.duration });
}).observe({ entryTypes: ["gc"] });

process.on("SIGTERM", () => {
  if (process.env.BENCH_GC_LOG) writeFileSync(process.env.BENCH_GC_LOG, JSON.stringify(collections));
  process.exit(0);
});
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  v8.writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOT}.${Date.now()}.heapsnapshot`);
  writeFileSync(`${process.env.BENCH_HEAP_SNAPSHOT}.done`, "");
});
