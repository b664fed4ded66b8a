import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { reactRouterBin } from "./cell-server";
import { CACHE_DIR, CELLS, cellDir, COMPAT_DIR, futureFlags, isReactRouter, nodeBinary, type Cell } from "./cells";

const exec = promisify(execFile);
const PLUGIN_DIR = path.resolve(COMPAT_DIR, "../../plugin");

/**
 * Playwright's global setup for the matrix: packs remix-live as it would be published, installs
 * each dependency set once (kept between runs), then lays out and builds every cell. A cell
 * installs the packed tarball, so remix-live loads from node_modules as a separate package, the
 * way users get it.
 */
export default async function prepare(): Promise<void> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const tarball = await packPlugin();
  const sets = [...new Set(CELLS.map((cell) => cell.deps))];
  await Promise.all([...sets.map((set) => installSet(set, tarball)), installSet("node-22")]);
  await inBatches(CELLS, 2, buildCell);
}

async function packPlugin(): Promise<string> {
  // `prepack` builds dist/ first, so the tarball never holds a stale build.
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", CACHE_DIR], { cwd: PLUGIN_DIR, maxBuffer: 16 << 20 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[];
  return path.join(CACHE_DIR, info!.filename);
}

/** `npm ci` from the committed lockfile when it changed since the last run, then the fresh tarball. */
async function installSet(set: string, tarball?: string): Promise<void> {
  const source = path.join(COMPAT_DIR, "deps", set);
  const dir = path.join(CACHE_DIR, "sets", set);
  const lock = readFileSync(path.join(source, "package-lock.json"));
  const stamp = path.join(dir, ".installed");
  const wanted = hash(lock);
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== wanted) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(source, "package.json"), path.join(dir, "package.json"));
    cpSync(path.join(source, "package-lock.json"), path.join(dir, "package-lock.json"));
    await npm(dir, ["ci"]);
    writeFileSync(stamp, wanted);
  }
  if (tarball) await npm(dir, ["install", "--no-save", tarball]);
}

async function npm(cwd: string, args: string[]): Promise<void> {
  try {
    await exec("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, maxBuffer: 64 << 20 });
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${failure.stderr ?? failure.message}`);
  }
}

/** A fresh app: the template, the cell's flags, its set's node_modules (hard links), then a build. */
async function buildCell(cell: Cell): Promise<void> {
  const dir = cellDir(cell);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(COMPAT_DIR, "template"), dir, { recursive: true });
  // React Router apps, and Remix apps with app/routes.ts, differ in the files of these overlays.
  if (isReactRouter(cell)) cpSync(path.join(COMPAT_DIR, "template-react-router"), dir, { recursive: true });
  else if (cell.routes === "routes.ts") cpSync(path.join(COMPAT_DIR, "template-routes-ts"), dir, { recursive: true });
  // Remix finds the server runtime among the app's dependencies, so the app lists its set's.
  const set = JSON.parse(readFileSync(path.join(COMPAT_DIR, "deps", cell.deps, "package.json"), "utf8")) as { dependencies: object };
  const pkg = { name: "compat-app", private: true, type: "module", sideEffects: false, dependencies: { ...set.dependencies, "remix-live": "*" } };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  const config = readFileSync(path.join(dir, "vite.config.ts"), "utf8");
  writeFileSync(path.join(dir, "vite.config.ts"), config.replace("FUTURE_FLAGS", JSON.stringify(futureFlags(cell))));
  if (isReactRouter(cell)) {
    const routerConfig = path.join(dir, "react-router.config.ts");
    const future = cell.middleware ? { v8_middleware: true } : {};
    writeFileSync(routerConfig, readFileSync(routerConfig, "utf8").replace("ROUTER_FUTURE_FLAGS", JSON.stringify(future)));
  }
  await exec("cp", ["-al", path.join(CACHE_DIR, "sets", cell.deps, "node_modules"), path.join(dir, "node_modules")]);
  if (cell.server === "dev") return;
  let log: string;
  try {
    const cli = isReactRouter(cell) ? [reactRouterBin(cell, "dev"), "build"] : ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"];
    if (cell.serverSourceMaps) cli.push("--sourcemapServer");
    const { stdout, stderr } = await exec(nodeBinary(cell.node), cli, {
      cwd: dir,
      env: { ...process.env, NODE_ENV: "production" },
      maxBuffer: 64 << 20,
    });
    log = stdout + stderr;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`The build of "${cell.name}" failed:\n${failure.stdout ?? ""}${failure.stderr ?? failure.message}`);
  }
  writeFileSync(path.join(dir, "build.log"), log);
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) await run(item);
    }),
  );
}

function hash(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}
