import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { VitePluginConfig } from "@remix-run/dev";
import type { RouteEntry } from "./plan-stream-routes.js";

const ROOT_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs"];

type FlatRoutes = (appDirectory: string, ignoredFilePatterns?: string[]) => Record<string, RouteEntry>;
type DefineRoutes = Parameters<NonNullable<VitePluginConfig["routes"]>>[0];

/**
 * Remix's own route scanners. `@remix-run/dev` exports them as `UNSAFE_flatRoutes` and
 * `UNSAFE_defineRoutes` from 2.13 on; 2.12 has the same functions only in its `dist/config`
 * files (the package has no exports map, so they can be required there).
 */
function remixRouteScanners(): { flatRoutes: FlatRoutes; defineRoutes: DefineRoutes } {
  const require = createRequire(import.meta.url);
  const dev = require("@remix-run/dev") as { UNSAFE_flatRoutes?: FlatRoutes; UNSAFE_defineRoutes?: DefineRoutes };
  return {
    flatRoutes: dev.UNSAFE_flatRoutes ?? (require("@remix-run/dev/dist/config/flat-routes.js") as { flatRoutes: FlatRoutes }).flatRoutes,
    defineRoutes: dev.UNSAFE_defineRoutes ?? (require("@remix-run/dev/dist/config/routes.js") as { defineRoutes: DefineRoutes }).defineRoutes,
  };
}

/**
 * The app's route manifest as Remix will build it: the root route, the file-system routes under
 * `app/routes` and the user's own `routes` option. A preset's `routes` runs before Remix has
 * resolved this, so it is assembled here the same way.
 */
export async function scanAppRoutes(appDirectory: string, userConfig: VitePluginConfig): Promise<Record<string, RouteEntry>> {
  const { flatRoutes, defineRoutes } = remixRouteScanners();
  const routes: Record<string, RouteEntry> = {};
  const rootFile = findRootFile(appDirectory);
  if (rootFile) routes.root = { id: "root", file: rootFile, path: "" };
  const add = (manifest: Record<string, RouteEntry>) => {
    for (const route of Object.values(manifest)) routes[route.id] = { ...route, parentId: route.parentId || "root" };
  };
  if (existsSync(path.join(appDirectory, "routes"))) add(flatRoutes(appDirectory, userConfig.ignoredRouteFiles));
  if (userConfig.routes) add(await userConfig.routes(defineRoutes));
  return routes;
}

/** The root route's file (`root.tsx` or another extension), relative to the app directory. */
export function findRootFile(appDirectory: string): string | undefined {
  return ROOT_EXTENSIONS.map((ext) => `root${ext}`).find((file) => existsSync(path.join(appDirectory, file)));
}
