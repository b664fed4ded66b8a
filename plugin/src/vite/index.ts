import path from "node:path";
import type { Preset, VitePluginConfig } from "@remix-run/dev";
import type { Plugin, ViteDevServer } from "vite";
import { LiveContext } from "./context.js";
import { LiveExportError } from "./detect.js";
import { scanAppRoutes } from "./scan-routes.js";
import { injectRevalidatorPlugin } from "./plugins/inject-revalidator.js";
import { watchLiveExportsPlugin } from "./plugins/watch-live-exports.js";
import { STREAM_ROUTE_ID_PREFIX } from "./plan-stream-routes.js";

export interface RemixLiveOptions {
  /**
   * Milliseconds between heartbeat comments on idle streams; `0` turns them off. Keep it below
   * the idle timeout of every proxy between the browser and the app (AWS ALB: 60 s).
   * @default 15000
   */
  heartbeatInterval?: number;
  /**
   * Open event streams one server process accepts; past it, new streams get 503 with
   * `Retry-After` and open ones are unaffected.
   * @default 50000
   */
  maxStreams?: number;
  /**
   * Where the generated stream routes are written, relative to the project root. Add it to
   * `.gitignore`.
   * @default ".remix-live"
   */
  outDir?: string;
}

/** The Vite plugins of remix-live, with the Remix preset that registers the stream routes. */
export type RemixLivePlugin = Plugin[] & {
  /** Pass to `remix({ presets: [live.preset] })`. */
  preset: Preset;
};

/**
 * Makes routes that `export const live = "channel"` live. List it before `remix()`:
 *
 *   const live = remixLive();
 *   export default defineConfig({ plugins: [live, remix({ presets: [live.preset] })] });
 */
export function remixLive(options: RemixLiveOptions = {}): RemixLivePlugin {
  const ctx = new LiveContext({
    heartbeatInterval: options.heartbeatInterval ?? 15_000,
    maxStreams: options.maxStreams ?? 50_000,
    outDir: options.outDir ?? ".remix-live",
  });
  let server: ViteDevServer | undefined;
  let scans = 0;

  const configPlugin: Plugin = {
    name: "remix-live:config",
    config(userConfig) {
      // Remix resolves its root the same way; the preset runs inside Remix's own config hook, after this one.
      ctx.rootDirectory = path.resolve(userConfig.root ?? process.env.REMIX_ROOT ?? process.cwd());
    },
    configureServer(devServer) {
      server = devServer;
    },
  };

  const preset: Preset = {
    name: "remix-live",
    remixConfig({ remixUserConfig }) {
      checkSupported(remixUserConfig);
      ctx.appDirectory = path.resolve(ctx.rootDirectory, remixUserConfig.appDirectory ?? "app");
      return {
        async routes() {
          const routes = await scanAppRoutes(ctx.appDirectory, remixUserConfig);
          const firstScan = scans++ === 0;
          return ctx.generateStreamRoutes(routes, (error) => {
            // At start-up and in builds a bad `live` export stops everything; while the dev server
            // runs it is shown in the terminal and the browser overlay, and the route stays plain.
            if (firstScan || !server || !(error instanceof LiveExportError)) throw error;
            server.config.logger.error(error.message, { timestamp: true });
          });
        },
      };
    },
    remixConfigResolved({ remixConfig }) {
      ctx.appDirectory = remixConfig.appDirectory;
      ctx.routeIdsByFile = new Map(
        Object.values(remixConfig.routes)
          .filter((route) => !route.id.startsWith(STREAM_ROUTE_ID_PREFIX))
          .map((route) => [path.resolve(remixConfig.appDirectory, route.file), route.id]),
      );
    },
  };

  const plugins = [configPlugin, injectRevalidatorPlugin(ctx), watchLiveExportsPlugin(ctx)];
  return Object.assign(plugins, { preset });
}

function checkSupported(config: VitePluginConfig): void {
  if ("routes" in config && config.routes === undefined) {
    // Remix merges preset and user options with object spread, so an explicit `undefined` erases
    // the preset's routes and every live route would silently lose its stream.
    throw new Error(
      "remix-live: the Remix plugin options contain `routes: undefined`, which hides the routes remix-live adds. " +
        "Leave the `routes` key out when you have no routes function.",
    );
  }
  if (config.ssr === false) {
    throw new Error(
      "remix-live needs a server: live routes are served by a loader, and SPA mode (`ssr: false`) has none. " +
        "Remove `ssr: false` or remove remix-live.",
    );
  }
  if ((config.future as Record<string, unknown> | undefined)?.v3_routeConfig) {
    throw new Error(
      "remix-live does not support `future.v3_routeConfig` (app/routes.ts) yet: Remix forbids presets from adding " +
        "routes there. Use file-system routes or the `routes` option for now.",
    );
  }
}
