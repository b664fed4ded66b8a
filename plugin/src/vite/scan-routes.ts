import { existsSync } from "node:fs";
import path from "node:path";
import { UNSAFE_defineRoutes, UNSAFE_flatRoutes, type VitePluginConfig } from "@remix-run/dev";
import type { RouteEntry } from "./plan-stream-routes.js";

const ROOT_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs"];

/**
 * The app's route manifest as Remix will build it: the root route, the file-system routes under
 * `app/routes` and the user's own `routes` option. A preset's `routes` runs before Remix has
 * resolved this, so it is assembled here the same way.
 */
export async function scanAppRoutes(appDirectory: string, userConfig: VitePluginConfig): Promise<Record<string, RouteEntry>> {
  const routes: Record<string, RouteEntry> = {};
  const rootFile = ROOT_EXTENSIONS.map((ext) => `root${ext}`).find((file) => existsSync(path.join(appDirectory, file)));
  if (rootFile) routes.root = { id: "root", file: rootFile, path: "" };
  const add = (manifest: Record<string, RouteEntry>) => {
    for (const route of Object.values(manifest)) routes[route.id] = { ...route, parentId: route.parentId || "root" };
  };
  if (existsSync(path.join(appDirectory, "routes"))) add(UNSAFE_flatRoutes(appDirectory, userConfig.ignoredRouteFiles));
  if (userConfig.routes) add(await userConfig.routes(UNSAFE_defineRoutes));
  return routes;
}
