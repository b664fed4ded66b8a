// `npm run bench`: the fan-out benchmark. Builds the playground, then for each connection count
// measures these servers one after another with the same client load (bench/servers.mjs):
//   floor       a bare node:http SSE server (bench/bare-server.mjs)
//   seed        the original demo's design in the playground, behind remix-serve
//   remix-live  the playground's generated /bench/stream route, behind remix-serve
//   handler ahead of Express  the same route in the playground's custom server (playground/server.mjs):
//               createLiveStreamHandler on the node:http server, in front of the Express app
//   handler in Express  the same, mounted as Express's first middleware instead
//               (bench/express-middleware-server.mjs)
//   remix-live-serve  the same build behind the remix-live-serve command (the playground's npm start)
// and prints connect time, RSS per connection and p50/p99 delivery time, each as a ratio to the
// floor. Timings on a shared machine vary from run to run: compare the ratios of one run.
//
//   npm run bench                  the scale curve: 1,000, 10,000 and 19,000 connections, 20 events each
//   npm run bench -- 500 2000      other connection counts
//   npm run bench -- 10000 --servers=remix-live-serve,"handler in Express"   some servers only
//   npm run bench -- 10000 19000 --repeat=3   each figure the median of three runs
//
// Past 10,000 connections only the floor, the handler and the command run: they are the ones with
// goals there. The largest N is set by the per-process file descriptor limit: on this machine the
// hard limit is 20,000 and cannot be raised (no CAP_SYS_RESOURCE), and the server and the client
// each hold one descriptor per connection. Each process asks for a million (which a machine that
// allows it grants), and the client spreads its connections over several loopback source addresses
// (127.0.0.1, 127.0.0.2, ...) so that ephemeral ports never run out first.
import { buildAll, PIN, runLoad, servers, startServer, stopServer } from "./servers.mjs";

const counts = process.argv.slice(2).map(Number).filter(Boolean);
/** `--servers=floor,remix-live-serve`: measure only these (the floor is always measured, for the ratios). */
const only = process.argv.find((arg) => arg.startsWith("--servers="))?.slice(10).split(",");
const CONNECTIONS = counts.length ? counts : [1_000, 10_000, 19_000];
/** `--repeat=3`: measure every server three times, in rounds, and report the median of each figure. */
const REPEAT = Number(process.argv.find((arg) => arg.startsWith("--repeat="))?.slice(9) ?? 1);
/** Above this, only the servers with goals at scale run. */
const ALL_SERVERS_UP_TO = 10_000;
const AT_SCALE = new Set(["floor", "handler ahead of Express", "handler in Express", "remix-live-serve"]);
const EVENTS = 20;

let runs = 0;

async function measure(name, connections) {
  const run = ++runs;
  let child;
  try {
    child = await startServer(name);
    return runLoad(name, { connections, events: EVENTS, run });
  } catch (error) {
    // A server that cannot hold N is a result too: say what failed.
    return { failed: String(error.stderr || error.message).trim().split("\n").pop() };
  } finally {
    if (child) await stopServer(child);
  }
}

/** Each figure's median over the runs (a failed run fails the lot). */
function median(runs) {
  const failed = runs.find((run) => run.failed);
  if (failed) return failed;
  const middle = (values) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  return Object.fromEntries(Object.keys(runs[0]).filter((key) => typeof runs[0][key] === "number").map((key) => [key, middle(runs.map((run) => run[key]))]));
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value) => `${value.toFixed(1)} ms`;
const ratio = (value, floor) => `${(value / floor).toFixed(2)}x`;

console.log("Building the plugin and the playground...");
buildAll();

const lines = [
  "| connections | server | connect | ratio | RSS / connection | ratio | p50 delivery | p99 delivery | ratio (p99) | heap before → after release |",
  "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
];
for (const connections of CONNECTIONS) {
  const names = Object.keys(servers).filter(
    (name) => (connections <= ALL_SERVERS_UP_TO || AT_SCALE.has(name)) && (!only || name === "floor" || only.includes(name)),
  );
  const runsOf = Object.fromEntries(names.map((name) => [name, []]));
  // In rounds, so that whatever drifts on the machine meanwhile touches every server alike.
  for (let round = 1; round <= REPEAT; round++) {
    for (const name of names) {
      process.stdout.write(`Measuring ${name} with ${connections} connections${REPEAT > 1 ? ` (round ${round} of ${REPEAT})` : ""}...\n`);
      runsOf[name].push(await measure(name, connections));
    }
  }
  const results = Object.fromEntries(names.map((name) => [name, median(runsOf[name])]));
  const floor = results.floor;
  for (const [name, r] of Object.entries(results)) {
    if (r.failed || floor.failed) {
      lines.push(`| ${connections} | ${name} | failed: ${r.failed ?? "the floor failed"} | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${connections} | ${name} | ${ms(r.connectMs)} | ${ratio(r.connectMs, floor.connectMs)} | ${kb(r.rssPerConnection)} | ` +
        `${ratio(r.rssPerConnection, floor.rssPerConnection)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ratio(r.p99, floor.p99)} | ` +
        `${kb(r.heapBefore)} → ${kb(r.heapAfterRelease)} |`,
    );
  }
}
console.log(`\n${new Date().toISOString()}, Node ${process.version}, ${EVENTS} events per run${REPEAT > 1 ? `, medians of ${REPEAT} runs` : ""}${PIN ? ", server on core 0, load on core 1" : ""}\n`);
console.log(lines.join("\n"));
