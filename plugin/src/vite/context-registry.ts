import path from "node:path";
import type { LiveContext } from "./context.js";

/**
 * The remix-live plugins of this process, so that `withLiveRoutes()` in `app/routes.ts` finds the
 * options given to `remixLive()`. React Router and Remix evaluate routes.ts in the process that
 * loaded the Vite config (their config loader, a child compiler, the typegen watcher), each load
 * of the config registering one more plugin instance. On globalThis: the config and routes.ts may
 * load remix-live through different module instances.
 */
const KEY = Symbol.for("remix-live.contexts.v1");
const holder = globalThis as { [KEY]?: Set<LiveContext> };
const contexts = (holder[KEY] ??= new Set());

export function registerContext(ctx: LiveContext): void {
  contexts.add(ctx);
}

/** The plugin instances of the project whose app directory is `appDirectory`. */
export function contextsFor(appDirectory: string): LiveContext[] {
  return [...contexts].filter((ctx) => appDirectory === ctx.rootDirectory || appDirectory.startsWith(ctx.rootDirectory + path.sep));
}
