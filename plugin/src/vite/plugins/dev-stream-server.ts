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
 *
 * Concurrent stream requests share `current`: each handler call reads it synchronously, right
 * after the load that set it.
 */
export function devStreamServerPlugin(framework: () => Framework): Plugin {
  return {
    name: "remix-live:dev-stream-server",
    apply: "serve",
    configureServer(server) {
      // A custom server running Vite in middleware mode serves its own build (with its own load
      // context); as Remix and React Router do, leave it to that server.
      if (server.config.server.middlewareMode) return;
      const id = SERVER_BUILD[framework()];
      // The module runner the framework itself loads the build with, so that app modules are evaluated once.
      const environment = (server as { environments?: Record<string, { runner?: { import(id: string): Promise<unknown> } }> }).environments?.ssr;
      const runner = () => (framework() === "react-router" && usesEnvironmentApi(server) ? environment?.runner : undefined);
      const load = () => runner()?.import(id) ?? server.ssrLoadModule(id);
      let current: ServerBuildRoutes | undefined;
      const handler = createLiveStreamHandler({
        build: () => current!,
        // A live function's error names the lines the user wrote (the module runner maps its stacks itself).
        fixStacktrace: (error) => runner() || server.ssrFixStacktrace(error),
      });
      server.middlewares.use(async (req, res, next) => {
        const pathname = (req.url ?? "/").split("?")[0]!;
        // The shared stream's path ends the same way.
        if (!pathname.endsWith(`/${STREAM_SEGMENT}`)) return next();
        try {
          current = (await load()) as ServerBuildRoutes;
        } catch {
          return next(); // A build that does not load: the framework's own handler shows why.
        }
        handler(req, res, next);
      });
    },
  };
}

/** React Router 8 always loads the build through Vite's environment API; 7 only with `future.v8_viteEnvironmentApi`. */
function usesEnvironmentApi(server: { config: object }): boolean {
  const future = (server.config as { __reactRouterPluginContext?: { reactRouterConfig?: { future?: Record<string, unknown> } } }).__reactRouterPluginContext
    ?.reactRouterConfig?.future;
  if (!future) return false;
  return "v8_viteEnvironmentApi" in future ? future.v8_viteEnvironmentApi === true : true;
}
