import { existsSync } from "node:fs";
import path from "node:path";
import { LiveContext } from "../vite/context.js";
import { contextsFor } from "../vite/context-registry.js";
import type { RouteEntry } from "../vite/plan-stream-routes.js";
import { findRootFile } from "../vite/scan-routes.js";

/**
 * An entry of `app/routes.ts` (React Router's `RouteConfigEntry`, the same in Remix's
 * `@remix-run/route-config`), declared here so that this module needs neither package.
 */
export interface LiveRouteConfigEntry {
  id?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  file: string;
  children?: LiveRouteConfigEntry[];
}

const ROUTES_FILES = ["routes.ts", "routes.mts", "routes.js", "routes.mjs", "routes.tsx", "routes.jsx"];

/**
 * The app's routes plus the stream routes of its live ones, for `app/routes.ts`:
 *
 *   import { flatRoutes } from "@react-router/fs-routes";
 *   import { withLiveRoutes } from "remix-live/routes";
 *   export default withLiveRoutes(flatRoutes());
 *
 * Each route whose module exports `live` gets its `<URL>/stream` route, and one route serves them
 * all over one connection (`/__remix-live/stream`). Files are written to the `outDir` of
 * `remixLive()` (`.remix-live/`), which must be in the Vite config: it makes the pages follow
 * their streams.
 */
export async function withLiveRoutes<Entry extends LiveRouteConfigEntry>(routes: Entry[] | Promise<Entry[]>): Promise<Entry[]> {
  const entries = await routes;
  const { appDirectory, framework } = currentAppDirectory();
  let contexts = contextsFor(appDirectory);
  if (contexts.length === 0) {
    // `react-router typegen` and `react-router routes` read routes.ts without the Vite config; they still list the stream routes.
    if (!readsRoutesOnly()) {
      throw new Error(
        "remix-live: withLiveRoutes() is in app/routes.ts, but the remixLive() Vite plugin is not in this app's Vite config, " +
          'so no page would follow its stream. Add it before reactRouter() (or remix()): import { remixLive } from "remix-live/vite"; ' +
          "plugins: [remixLive(), reactRouter()].",
      );
    }
    contexts = [new LiveContext({ heartbeatInterval: undefined, maxStreams: undefined, outDir: ".remix-live" })];
    contexts[0]!.rootDirectory = path.dirname(appDirectory);
  }
  const manifest = toManifest(entries, appDirectory, framework);
  // The newest instance scans and writes; the others (earlier loads of the config) take its results.
  const ctx = contexts.at(-1)!;
  ctx.appDirectory = appDirectory;
  ctx.framework = framework;
  ctx.routesFile = ROUTES_FILES.map((name) => path.join(appDirectory, name)).find((file) => existsSync(file));
  const generated = ctx.generateStreamRoutes(manifest, (error) => {
    throw error;
  });
  ctx.learnRoutes(manifest);
  for (const other of contexts) if (other !== ctx) other.adoptScan(ctx);
  const added = Object.values(generated).map(({ id, path: urlPath, file }) => ({ id, path: urlPath, file }) as Entry);
  return [...entries, ...added];
}

/** The app directory React Router (or Remix) set before it evaluated routes.ts, and which of them did. */
function currentAppDirectory(): { appDirectory: string; framework: "react-router" | "remix" } {
  const globals = globalThis as { __reactRouterAppDirectory?: string; __remixAppDirectory?: string };
  if (globals.__reactRouterAppDirectory) return { appDirectory: globals.__reactRouterAppDirectory, framework: "react-router" };
  if (globals.__remixAppDirectory) return { appDirectory: globals.__remixAppDirectory, framework: "remix" };
  throw new Error(
    "remix-live: withLiveRoutes() must be called in app/routes.ts, which React Router (or Remix with future.v3_routeConfig) evaluates; " +
      "it found no app directory set by either.",
  );
}

function readsRoutesOnly(): boolean {
  return process.argv.includes("typegen") || process.argv[2] === "routes";
}

/**
 * The route manifest the router will build from `entries`: ids exactly as each router makes them
 * (the file as written, without its extension: React Router normalizes the path, Remix only its
 * slashes; an absolute file gives an absolute id), files relative to the app directory, and the
 * root route, which routes.ts does not list.
 */
function toManifest(entries: readonly LiveRouteConfigEntry[], appDirectory: string, framework: "react-router" | "remix"): Record<string, RouteEntry> {
  const manifest: Record<string, RouteEntry> = {};
  const rootFile = findRootFile(appDirectory);
  if (rootFile) manifest.root = { id: "root", file: rootFile, path: "" };
  const add = (entry: LiveRouteConfigEntry, parentId: string) => {
    const file = path.isAbsolute(entry.file) ? path.relative(appDirectory, entry.file) : entry.file;
    const withoutExtension = entry.file.replace(/\.[a-z0-9]+$/i, "");
    const id = entry.id ?? (framework === "react-router" ? path.normalize(withoutExtension) : withoutExtension.replaceAll("\\", "/"));
    manifest[id] = { id, file, parentId, ...(entry.path !== undefined ? { path: entry.path } : {}), ...(entry.index ? { index: true } : {}) };
    for (const child of entry.children ?? []) add(child, id);
  };
  for (const entry of entries) add(entry, "root");
  return manifest;
}
