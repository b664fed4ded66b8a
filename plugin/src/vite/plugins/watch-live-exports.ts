import { utimesSync } from "node:fs";
import type { Plugin } from "vite";
import { peekHub } from "../../server/singleton.js";
import type { LiveContext } from "../context.js";

/**
 * Remix rescans routes only when a file under the app directory is added or removed, so adding
 * `export const live` to an existing route would go unseen until a restart. When an edit flips
 * or changes a route's `live` export, this tells Remix's watcher listener that the route file
 * was (re)added, which makes Remix rerun the preset and pick up the new stream routes.
 *
 * Apps with `app/routes.ts` (`withLiveRoutes`) get their routes from that file, which React Router
 * evaluates again when it changes (it watches the files it loaded, with a watcher of its own):
 * touching it has the same effect.
 *
 * Streams already open end, so that their tabs reconnect and follow the route's new `live`.
 *
 * It reads the file through Vite's hot-update context: a save that truncates before it writes
 * can fire the watcher while the file is still empty, and Vite's `read()` waits that out.
 */
export function watchLiveExportsPlugin(ctx: LiveContext): Plugin {
  return {
    name: "remix-live:watch-live-exports",
    apply: "serve",
    async handleHotUpdate({ file, read, server }) {
      if (!ctx.routeIdsByFile.has(file)) return;
      if (!ctx.liveChanged(file, await read())) return;
      // Open streams follow the channels they opened with: ended, their tabs reconnect and follow
      // what the route says now. (Vite has reloaded the module by the time they are back.)
      peekHub()?.endStreams();
      if (ctx.routesFile) {
        const now = new Date();
        utimesSync(ctx.routesFile, now, now);
      } else server.watcher.emit("all", "add", file);
    },
  };
}
