// `npm run bench:profile -- <server> [connections]`: where a server's time goes while it fans
// events out. Runs one server of bench/servers.mjs under the V8 CPU profiler, loads it as the
// fan-out benchmark does (20 events), and prints for each event its delivery time, the CPU samples
// and garbage collections in that window, then the functions with the most own time over all of
// them. Compare a server with the floor:
//
//   npm run bench:profile -- floor 19000
//   npm run bench:profile -- remix-live-serve 19000
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildAll, knownServer, PROFILE_HOOKS, runLoad, startServer, stopServer } from "./servers.mjs";

const [serverName = "remix-live-serve", connections = "10000"] = process.argv.slice(2);
const name = knownServer(serverName);
const dir = mkdtempSync(path.join(os.tmpdir(), "remix-live-profile-"));
const gcLog = path.join(dir, "gc.json");

buildAll();
const child = await startServer(name, {
  nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=500", PROFILE_HOOKS],
  env: { BENCH_GC_LOG: gcLog },
});
let result;
try {
  result = runLoad(name, { connections: Number(connections), events: 20, run: 90 });
} finally {
  await stopServer(child);
}

const profile = JSON.parse(readFileSync(path.join(dir, readdirSync(dir).find((file) => file.endsWith(".cpuprofile"))), "utf8"));
const collections = JSON.parse(readFileSync(gcLog, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
let at = profile.startTime;
const sampledAt = profile.timeDeltas.map((delta) => (at += delta));
const label = ({ callFrame: { functionName, url, lineNumber } }) =>
  `${functionName || "(anonymous)"} ${url ? `${url.split("/").slice(-2).join("/")}:${lineNumber + 1}` : ""}`.trim();

const total = new Map();
let totalSamples = 0;
console.log(`${name}, ${connections} connections: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms\n`);
console.log("| event | delivery | CPU samples (500 µs) | idle | garbage collections |");
console.log("| ---: | ---: | ---: | ---: | --- |");
result.windows.forEach(([from, to], index) => {
  let samples = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    if (sampledAt[i] < from || sampledAt[i] > to) return;
    const key = label(nodes.get(id));
    if (key === "(idle)") idle++;
    else total.set(key, (total.get(key) ?? 0) + 1);
    samples++;
  });
  totalSamples += samples - idle;
  const gcs = collections.filter((gc) => gc.at >= from && gc.at <= to).map((gc) => `${gc.ms.toFixed(0)} ms`);
  console.log(`| ${index + 1} | ${((to - from) / 1000).toFixed(1)} ms | ${samples} | ${idle} | ${gcs.join(", ") || "none"} |`);
});
console.log(`\nOwn time over the ${result.windows.length} windows (${totalSamples} busy samples):\n`);
for (const [key, count] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`${((100 * count) / totalSamples).toFixed(1).padStart(5)}%  ${String(count).padStart(6)}  ${key}`);
}
console.log(`\nProfile: ${dir}`);
