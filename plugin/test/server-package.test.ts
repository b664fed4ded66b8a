/**
 * The built `remix-live/server` as a server process loads it: each test runs a fresh node process,
 * so what happens at load (REMIX_LIVE_URL, loading broker clients) is seen as a user sees it.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { startRedis } from "./brokers.js";
import { assertBuilt, DIST_SERVER, DIST_SERVER_URL, killChildren, runNode } from "./node-process.js";
import { recorder, until } from "./waiting.js";
import { createRedisTransport, LiveHub } from "../src/server/index.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  killChildren();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});



function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `remix-live-${label}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const redisCli = (port: number, ...args: string[]) =>
  execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { encoding: "utf8" }).trim();

/**
 * A script for a child process: subscribes a stream to "orders" on the process-wide hub, emits
 * "orders" twice, waits until the stream heard both (or 5 s), prints a JSON report and closes.
 */
const EMIT_AND_REPORT = (serverModule: string) => `
import { closeLive, emit, emitter } from ${JSON.stringify(serverModule)};
const heard = [];
emitter.subscribe(["orders"], { event: (channel) => heard.push(channel), heartbeat() {} }, 0);
emit("orders");
emit("orders");
const deadline = Date.now() + 5000;
while (heard.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
const stats = emitter.stats();
await closeLive({ flushTimeout: 0 });
console.log(JSON.stringify({ heard, failedEmits: stats.failedEmits }));
`;

describe("the broker client packages", () => {
  // Records every module file node loads (ESM loader hook), so the test sees what was loaded
  // rather than what could be resolved.
  function loadRecorder(): { nodeArgs: string[]; env: Record<string, string>; loaded(): string[] } {
    const dir = tempDir("loads");
    const log = path.join(dir, "loaded.txt");
    writeFileSync(log, "");
    writeFileSync(
      path.join(dir, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.REMIX_LIVE_TEST_LOAD_LOG, url + "\\n");
  return next(url, context);
}`,
    );
    writeFileSync(path.join(dir, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
    return {
      nodeArgs: ["--import", pathToFileURL(path.join(dir, "register.mjs")).href],
      env: { REMIX_LIVE_TEST_LOAD_LOG: log },
      loaded: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
    };
  }
  const packagesLoaded = (urls: string[]) =>
    [...new Set(urls.flatMap((url) => /\/node_modules\/(ioredis|pg)\//.exec(url)?.[1] ?? []))].sort();

  test.each([
    ["no REMIX_LIVE_URL", "neither ioredis nor pg", undefined, []],
    ["REMIX_LIVE_URL=redis://", "ioredis and not pg", "redis://127.0.0.1:6379", ["ioredis"]],
    ["REMIX_LIVE_URL=postgres://", "pg and not ioredis", "postgres://postgres@127.0.0.1:5432/test", ["pg"]],
  ] as const)("with %s, a process that loads remix-live/server and emits loads %s", async (_, __, url, expected) => {
    assertBuilt();
    const loads = loadRecorder();
    const child = runNode(
      `import { closeLive, emit } from ${JSON.stringify(DIST_SERVER_URL)};\nemit("orders");\nawait closeLive();\nconsole.log("emitted");\n`,
      { env: { ...loads.env, REMIX_LIVE_URL: url }, nodeArgs: loads.nodeArgs },
    );
    // The emit went through (closeLive() waits for it) before "emitted" is printed; whether the
    // process then exits is not this test's concern.
    await child.waitForOutput("emitted");
    expect(child.stderr()).toBe("");
    // The recorder sees remix-live itself: it records what this process loaded.
    expect(loads.loaded()).toContain(DIST_SERVER_URL);
    expect(packagesLoaded(loads.loaded())).toEqual(expected);
  });

  test.each([
    ["postgres://postgres@127.0.0.1:5432/test", "pg", "PostgreSQL"],
    ["redis://127.0.0.1:6379", "ioredis", "Redis"],
  ])(
    "REMIX_LIVE_URL=%s where %s is not installed: one line on stderr says to npm install it, each emit() reaches the process's own stream once and counts no failure, and the process exits with 0",
    async (url, pkg, broker) => {
      assertBuilt();
      // An app folder with remix-live installed and neither ioredis nor pg anywhere it could resolve them.
      const app = tempDir("no-client");
      const installed = path.join(app, "node_modules", "remix-live");
      mkdirSync(installed, { recursive: true });
      cpSync(path.dirname(path.dirname(DIST_SERVER)), path.join(installed, "dist"), { recursive: true });
      cpSync(path.resolve(import.meta.dirname, "../package.json"), path.join(installed, "package.json"));
      writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      expect(() => execFileSync(process.execPath, ["--input-type=module", "--eval", `await import(${JSON.stringify(pkg)})`], { cwd: app, stdio: "ignore" })).toThrow();

      const child = runNode(EMIT_AND_REPORT("remix-live/server"), { cwd: app, env: { REMIX_LIVE_URL: url, NODE_PATH: undefined } });
      expect(await child.finish(), child.stderr()).toBe(0);
      expect(JSON.parse(child.stdout())).toEqual({ heard: ["orders", "orders"], failedEmits: 0 });
      const lines = child.stderr().split("\n").filter(Boolean);
      expect(lines).toEqual([
        expect.stringContaining(`${broker} at `),
      ]);
      expect(lines[0]).toContain(`needs the "${pkg}" package, which is not installed: run \`npm install ${pkg}\`.`);
    },
  );
});

test("an emit in a cluster worker with no broker warns once that it reaches that worker's streams only; the primary process does not warn", { timeout: 30_000 }, async () => {
  const dir = tempDir("cluster");
  const worker = path.join(dir, "worker.mjs");
  writeFileSync(worker, `import { emit } from ${JSON.stringify(DIST_SERVER_URL)};\nemit("orders");\nemit("orders");\nprocess.exit(0);\n`);
  const primary = runNode(
    `import cluster from "node:cluster";
import { emit } from ${JSON.stringify(DIST_SERVER_URL)};
emit("orders");
cluster.setupPrimary({ exec: ${JSON.stringify(worker)} });
cluster.fork().on("exit", () => { console.log("worker done"); process.exit(0); });`,
    { env: { REMIX_LIVE_URL: undefined } },
  );
  await primary.waitForOutput("worker done");
  expect(primary.stderr().match(/\[remix-live\] this process is a cluster worker/g)).toHaveLength(1);
  expect(primary.stderr()).toContain("Set REMIX_LIVE_URL to a Redis or PostgreSQL server all workers share");
});

test("configureLive({ transport: url }) overrides REMIX_LIVE_URL: an emit reaches streams through the configured broker, and the broker the variable names gets no publish and keeps no connection from the process", { timeout: 60_000 }, async () => {
  assertBuilt();
  const named = await startRedis(); // what REMIX_LIVE_URL names
  const configured = await startRedis(); // what configureLive() is given
  cleanups.push(() => named.remove(), () => configured.remove());
  const listener = new LiveHub(createRedisTransport(configured.url));
  cleanups.push(() => listener.close());
  const stream = recorder();
  listener.subscribe(["orders"], stream, 0);
  await until(() => redisCli(configured.port, "PUBSUB", "NUMSUB", "remix-live:orders").split("\n")[1] === "1", "the listener's subscription");

  const child = runNode(
    `
import { createInterface } from "node:readline";
import { closeLive, configureLive, emit } from ${JSON.stringify(DIST_SERVER_URL)};
await configureLive({ transport: ${JSON.stringify(configured.url)} });
createInterface({ input: process.stdin }).on("line", (channel) => emit(channel)).on("close", () => closeLive());
console.log("configured");
`,
    { env: { REMIX_LIVE_URL: named.url } },
  );
  await child.waitForOutput("configured");
  // Whatever loading remix-live opened to the broker REMIX_LIVE_URL names is closed again: only redis-cli is there.
  const clientsOfNamed = () => redisCli(named.port, "CLIENT", "LIST").split("\n").filter((line) => !line.includes("cmd=client"));
  await until(() => clientsOfNamed().length === 0, () => `no connection to the broker REMIX_LIVE_URL names: ${clientsOfNamed().join("; ")}`);

  child.send("orders");
  await until(() => stream.events.length > 0, "the emit through the configured broker");
  expect(await child.finish()).toBe(0);
  expect(stream.events).toEqual(["orders"]);
  expect(redisCli(named.port, "INFO", "commandstats")).not.toContain("cmdstat_publish");
});
