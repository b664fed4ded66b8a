// `npm run bench:burst`: what a burst costs the tabs of one browser (issue #9: at most two loader
// runs per tab, and every tab ends on the last state). Builds the playground, serves it with
// remix-serve, opens /chat in three tabs of one Chromium context and, for each round, sends 100
// emits in 100 ms (the playground's /debug/burst), waits until every tab shows the last message,
// then until every tab's data requests for /chat have all been answered and none has started for
// 2.5 s, longer than the client's longest wait between two runs (1 s after the last one ended)
// and a slowed tab's render of that run: the runs counted are all the burst caused. It does so with the tabs' CPU as is and slowed by Chromium (a slow tab reads a burst in
// clumps), and with every core of the machine kept busy by spinning processes, as under a test
// suite running beside it. The e2e burst test checks the same bound on the machine it runs on;
// this gives figures.
//
//   npm run bench:burst               10 rounds each
//   npm run bench:burst -- 30         30 rounds each
import { spawn } from "node:child_process";
import os from "node:os";
import { launchChromium, median, openChatTabs, postForm, watchFor } from "./chat-tabs.mjs";
import { buildAll, PORT, startServer, stopServer } from "./servers.mjs";

const ROUNDS = Number(process.argv[2]) || 10;
const TABS = 3;
const GOAL_RUNS = 2;
const LOST_AFTER_MS = 30_000;
const origin = `http://127.0.0.1:${PORT}`;

/**
 * The client's longest wait between two runs (1 s after the last one ended: MAX_WAIT_MS in
 * revalidation-queue.ts), plus time for a slowed tab to render that run once its data came.
 */
const SETTLED_AFTER_MS = 2_500;

/** Counts each tab's data requests for /chat, and says when the last of them started or was answered. */
function countRuns(tabs) {
  const tally = { runs: tabs.map(() => 0), open: 0, lastActivity: Date.now() };
  const isRun = (request) => request.resourceType() === "fetch" && new URL(request.url()).pathname === "/chat.data";
  const done = (request) => isRun(request) && (tally.open--, (tally.lastActivity = Date.now()));
  tabs.forEach((tab, i) => {
    tab.on("request", (request) => isRun(request) && (tally.runs[i]++, tally.open++, (tally.lastActivity = Date.now())));
    tab.on("requestfinished", done);
    tab.on("requestfailed", done);
  });
  return tally;
}

async function measure(browser, cpuSlowdown) {
  const context = await browser.newContext();
  const tabs = await openChatTabs(context, origin, TABS, cpuSlowdown);
  const tally = countRuns(tabs);
  const settled = async () => {
    while (tally.open > 0 || Date.now() - tally.lastActivity < SETTLED_AFTER_MS) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  await settled();
  const perTab = [];
  const lastShown = [];
  /** How long the burst request took: 100 ms asked for, longer on a busy server. */
  const took = [];
  for (let round = 0; round < ROUNDS; round++) {
    tally.runs.fill(0);
    const label = `burst bench ${Date.now()} #${round}`;
    const watches = await Promise.all(tabs.map((tab) => watchFor(tab, `${label} #100`, LOST_AFTER_MS)));
    const sent = Date.now();
    await postForm(origin, "/debug/burst", { label, count: "100", over: "100" });
    took.push(Date.now() - sent);
    const shown = await Promise.all(watches.map((when) => when()));
    lastShown.push(Math.max(...shown.map((at) => (at === null ? Infinity : at - sent))));
    await settled();
    perTab.push(...tally.runs);
  }
  await context.close();
  return { perTab, lastShown, took };
}

/**
 * Keeps every core of the machine busy (one spinning process each) until the returned function is
 * called; a spinner whose parent is gone (the benchmark killed) stops too.
 */
function busyCores() {
  const spin = "const parent = process.ppid; for (let i = 0; ; i++) if (i % 1e7 === 0 && process.ppid !== parent) process.exit();";
  const spinners = Array.from({ length: os.availableParallelism() }, () => spawn(process.execPath, ["-e", spin], { stdio: "ignore" }));
  return () => spinners.forEach((spinner) => spinner.kill("SIGKILL"));
}

buildAll();
const server = await startServer("remix-live");
let browser;
try {
  browser = await launchChromium();
  console.log(`\n${new Date().toISOString()}, ${TABS} tabs of one Chromium context on /chat (remix-serve), 100 emits in 100 ms, ${ROUNDS} rounds\n`);
  console.log("| CPU | the burst request took, median | loader runs per tab: median | most | tab-rounds over 2 | the last tab shows the last message, median (from the burst's start) | goal (runs) |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [slowdown, busy] of [[1, false], [4, false], [6, false], [1, true], [4, true]]) {
    const idle = busy ? busyCores() : () => {};
    const { perTab, lastShown, took } = await measure(browser, slowdown).finally(idle);
    const most = Math.max(...perTab);
    const over = perTab.filter((count) => count > GOAL_RUNS).length;
    console.log(`| ${slowdown === 1 ? "as is" : `${slowdown}x slower`}${busy ? ", every core busy" : ""} | ${median(took)} ms | ${median(perTab)} | ${most} | ${over} of ${perTab.length} | ${median(lastShown) === Infinity ? "lost" : `${median(lastShown)} ms`} | ${most <= GOAL_RUNS ? "met" : "missed"} (≤ ${GOAL_RUNS}) |`);
  }
} finally {
  await browser?.close().catch(() => undefined);
  await stopServer(server);
}
