// The servers the benchmarks compare, and how to start and load them. Each runs the playground's
// build (or the bare floor) on PORT, pinned to core 0 when there are two cores or more; the load
// generator (bench/load.mjs) runs on core 1, so that one does not slow the other (a connect time
// measured with both on any core tells more about the scheduler than about the server).
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const playground = path.join(root, "playground");
export const PORT = 5470;
const FD_LIMIT = 1_000_000;

const LIVE_LOAD = { stream: "/bench/stream", emit: "/bench/emit", stats: "/bench/stats", count: "liveStreams" };
const inPlayground = (script, args = []) => ({ cwd: playground, script, args });
const bin = (name) => inPlayground(path.join(root, "node_modules/.bin", name), ["./build/server/index.js"]);

/** `script` runs under `node` in `cwd` with `args`; `load` says where bench/load.mjs finds its stream, emit and stats. */
export const servers = {
  floor: { cwd: root, script: path.join(root, "bench/bare-server.mjs"), args: [String(PORT)], load: { stream: "/stream", emit: "/emit", stats: "/stats", count: "streams" } },
  seed: { ...bin("remix-serve"), load: { ...LIVE_LOAD, stream: "/bench/seed/stream", count: "seedListeners" } },
  "remix-live": { ...bin("remix-serve"), load: LIVE_LOAD },
  "handler ahead of Express": { ...inPlayground("server.mjs"), load: LIVE_LOAD },
  "handler in Express": { ...inPlayground(path.join(root, "bench/express-middleware-server.mjs")), load: LIVE_LOAD },
  "remix-live-serve": { ...bin("remix-live-serve"), load: LIVE_LOAD },
};

/** Loaded into a server (`--require`) by the profiling benchmarks: see bench/profile-hooks.cjs. */
export const PROFILE_HOOKS = `--require=${path.join(root, "bench/profile-hooks.cjs")}`;

/** `name` if it is one of the servers above; a command-line mistake otherwise. */
export function knownServer(name) {
  if (!servers[name]) throw new Error(`unknown server "${name}"; one of: ${Object.keys(servers).join(", ")}`);
  return name;
}

/** Raises the file descriptor limit as far as the machine allows, then runs the command. */
const RAISE_FDS = `ulimit -Hn ${FD_LIMIT} 2>/dev/null; ulimit -Sn ${FD_LIMIT} 2>/dev/null || ulimit -Sn $(ulimit -Hn); exec "$0" "$@"`;
export const PIN = os.availableParallelism() >= 2 && existsSync("/usr/bin/taskset");
const pinned = (core, command, args) => (PIN ? ["taskset", ["-c", String(core), command, ...args]] : [command, args]);

/** Starts `name` with extra `nodeFlags` (a profiler's) and resolves once it answers its stats URL. */
export async function startServer(name, { nodeFlags = [], env = {} } = {}) {
  const { cwd, script, args, load } = servers[name];
  // A server left over from an interrupted run would answer for the one started here, and be measured instead.
  if (await answer(`http://127.0.0.1:${PORT}/`)) throw new Error(`Port ${PORT} is taken by another process: stop it, then run the benchmark again.`);
  const [file, fileArgs] = pinned(0, "sh", ["-c", RAISE_FDS, process.execPath, "--expose-gc", ...nodeFlags, script, ...args]);
  const child = spawn(file, fileArgs, {
    cwd,
    stdio: "ignore",
    env: { ...process.env, PORT: String(PORT), NODE_ENV: "production", DATABASE_PATH: path.join(playground, "data/bench.db"), ...env },
  });
  for (let attempt = 0; attempt < 300 && child.exitCode === null; attempt++) {
    if ((await answer(`http://127.0.0.1:${PORT}${load.stats}`))?.ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${name} did not start`);
}

/** The response at `url`, or null when nothing listens there. */
async function answer(url) {
  try {
    return await fetch(url);
  } catch {
    return null;
  }
}

export async function stopServer(child) {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}

/** Runs bench/load.mjs against `name` on core 1 and returns what it measured. */
export function runLoad(name, { connections, events, run }) {
  const config = { port: PORT, connections, events, run, ...servers[name].load };
  const output = execFileSync(...pinned(1, "sh", ["-c", RAISE_FDS, process.execPath, path.join(root, "bench/load.mjs"), JSON.stringify(config)]), {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.trim().split("\n").pop());
}

/** Builds the plugin and the playground, unless BENCH_SKIP_BUILD is set (both are built already). */
export function buildAll() {
  if (process.env.BENCH_SKIP_BUILD) return;
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
  execFileSync("npm", ["run", "build", "-w", "playground"], { cwd: root, stdio: "ignore" });
}
