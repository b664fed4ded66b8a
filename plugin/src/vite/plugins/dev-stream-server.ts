import type { Plugin } from "vite";
import { createLiveStreamHandler, type ServerBuildRoutes } from "../../server/live-stream-handler.js";
import { STREAM_SEGMENT } from "../plan-stream-routes.js";
import type { Framework } from "../framework.js";

/** The virtual module of the app's server build, in each framework's dev server. */
const SERVER_BUILD: Record<Framework, string> = {
  remix: "virtual:remix/server-build",
  "react-router": "virtual:react-router/server-build",
};

/**
 * Serves the stream routes in `vite dev` as `createLiveStreamHandler` does in production, ahead of
 * Vite's middlewares and the framework's SSR handler: a live page's stream is held by the hub
 * alone, not by a request in Vite's SSR pipeline. The build is loaded through Vite for each stream
 * request, so an edited live function or a new live route applies at once. Other requests never
 * load it: only paths ending in `/stream` (and the shared stream's) are looked at.
 */
export function devStreamServerPlugin(framework: () => Framework): Plugin {
  return {
    name: "remix-live:dev-stream-server",
    apply: "serve",
    configureServer(server) {
      const handler = createLiveStreamHandler({
        build: () => server.ssrLoadModule(SERVER_BUILD[framework()]) as Promise<unknown> as Promise<ServerBuildRoutes>,
      });
      server.middlewares.use((req, res, next) => {
        const pathname = (req.url ?? "/").split("?")[0]!;
        // The shared stream's path ends the same way.
        if (!pathname.endsWith(`/${STREAM_SEGMENT}`)) return next();
        handler(req, res, next);
      });
    },
  };
}
