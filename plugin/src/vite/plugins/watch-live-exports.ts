import type { Plugin } from "vite";
import type { LiveContext } from "../context.js";

/**
 * Remix rescans routes only when a file under the app directory is added or removed, so adding
 * `export const live` to an existing route would go unseen until a restart. When an edit flips
 * or renames a route's `live` export, this tells Remix's watcher listener that the route file
 * was (re)added, which makes Remix rerun the preset and pick up the new stream routes.
 */
export function watchLiveExportsPlugin(ctx: LiveContext): Plugin {
  return {
    name: "remix-live:watch-live-exports",
    apply: "serve",
    configureServer(server) {
      server.watcher.on("change", (file) => {
        if (ctx.liveChanged(file)) server.watcher.emit("all", "add", file);
      });
    },
  };
}
