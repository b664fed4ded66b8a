import { readdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Preset, VitePluginConfig } from "@remix-run/dev";
import type { Plugin, ViteDevServer } from "vite";
import { LiveContext } from "./context.js";
import { registerContext } from "./context-registry.js";
import { detectFramework, runtimeModule, type Framework } from "./framework.js";
import { LiveExportError } from "./detect.js";
import { checkReactRouterConfig, type ReactRouterConfig } from "./check-react-router-config.js";
import { scanAppRoutes } from "./scan-routes.js";
import { injectRevalidatorPlugin } from "./plugins/inject-revalidator.js";
import { watchLiveExportsPlugin } from "./plugins/watch-live-exports.js";
import { devStreamServerPlugin } from "./plugins/dev-stream-server.js";

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
   * Milliseconds a page waits after the first event before it revalidates, gathering the events
   * that one change sends to several of its live routes (and the rest of a burst) into one
   * revalidation. Larger values save loader runs under bursts and add that much latency to every
   * update.
   * @default 50
   */
  coalesceWindow?: number;
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
  // Unset options are left out of the generated routes, so the server's defaults apply.
  const ctx = new LiveContext({
    heartbeatInterval: options.heartbeatInterval,
    maxStreams: options.maxStreams,
    coalesceWindow: options.coalesceWindow,
    outDir: options.outDir ?? ".remix-live",
  });
  registerContext(ctx);
  let server: ViteDevServer | undefined;
  let framework: Framework = "remix";
  let scans = 0;
  let configured = false;
  let lastGenerated: Awaited<ReturnType<LiveContext["generateStreamRoutes"]>> = {};

  const configPlugin: Plugin = {
    name: "remix-live:config",
    // Ahead of remix() and reactRouter() wherever the user lists it: their config hooks run the
    // preset and routes.ts, which need the project root, and the preset checks this hook ran.
    enforce: "pre",
    async config(userConfig) {
      configured = true;
      // Remix resolves its root the same way; the preset runs inside Remix's own config hook, after this one.
      ctx.rootDirectory = path.resolve(userConfig.root ?? process.env.REMIX_ROOT ?? process.cwd());
      framework = await detectFramework(userConfig);
      const runtime = runtimeModule(framework);
      return {
        // Exact match only: remix-live/react-router itself must not be rewritten.
        resolve: runtime === "remix-live/react" ? {} : { alias: [{ find: /^remix-live\/react$/, replacement: runtime }] },
        optimizeDeps: {
          // The injected hook imports remix-live/react, which Vite's dependency scan cannot see in
          // the source: found only when the first live page loads, it would make Vite re-optimize
          // and reload that page. A linked checkout (a workspace, `npm link`) is served as source
          // instead, as Vite does for linked packages, so that rebuilding it takes effect.
          include: isInstalledPackage(ctx.rootDirectory) ? [runtime] : [],
          // remix-live/server never runs in the browser.
          exclude: ["remix-live/server"],
        },
      };
    },
    configureServer(devServer) {
      server = devServer;
    },
    configResolved(config) {
      checkRoutesRegistered(ctx, config.plugins);
      const reactRouter = (config as { __reactRouterPluginContext?: { reactRouterConfig?: ReactRouterConfig } }).__reactRouterPluginContext;
      if (reactRouter?.reactRouterConfig) checkReactRouterConfig(ctx.liveUrls, reactRouter.reactRouterConfig);
      // Vite 6+ builds each environment (React Router 8's client build among them) with its own options.
      const environments = (config as { environments?: Record<string, { build: typeof config.build }> }).environments ?? {};
      for (const build of new Set([config.build, ...Object.values(environments).map((environment) => environment.build)])) {
        const rollupOptions = build.rollupOptions;
        const userOnWarn = rollupOptions.onwarn;
        rollupOptions.onwarn = (warning, warn) => {
          const names = (warning as { names?: string[] }).names ?? [];
          if (warning.code === "EMPTY_BUNDLE" && names.length > 0 && names.every((name) => ctx.isGeneratedChunk(name))) return;
          if (userOnWarn) userOnWarn(warning, warn);
          else warn(warning);
        };
      }
    },
  };

  const preset: Preset = {
    name: "remix-live",
    remixConfig({ remixUserConfig }) {
      if (!configured) {
        throw new Error(
          "remix-live: live.preset is in remix({ presets }), but the Vite plugins of the same remixLive() call are not in the Vite config, " +
            "so no page would follow a stream. Add them: const live = remixLive(); plugins: [live, remix({ presets: [live.preset] })].",
        );
      }
      checkSupported(remixUserConfig, ctx.rootDirectory);
      ctx.appDirectory = path.resolve(ctx.rootDirectory, remixUserConfig.appDirectory ?? "app");
      return {
        async routes() {
          const routes = await scanAppRoutes(ctx.appDirectory, remixUserConfig);
          // At start-up and in builds a bad `live` export or a URL conflict stops everything. While
          // the dev server runs, an error thrown here would end it (Remix rescans from a watcher
          // callback), so it is shown instead: a bad `live` leaves that route plain, and a conflict
          // keeps the stream routes of the last good scan until it is resolved.
          const firstScan = scans++ === 0;
          const report = (error: unknown) => {
            if (firstScan || !server) throw error;
            server.config.logger.error(error instanceof Error ? error.message : String(error), { timestamp: true });
          };
          try {
            lastGenerated = ctx.generateStreamRoutes(routes, (error) => {
              // A file that does not parse (mid-edit) or vanished is skipped: Vite reports it when it compiles it.
              if (error instanceof LiveExportError) report(error);
            });
          } catch (error) {
            report(error);
          }
          return lastGenerated;
        },
      };
    },
    remixConfigResolved({ remixConfig }) {
      ctx.appDirectory = remixConfig.appDirectory;
      ctx.learnRoutes(remixConfig.routes);
    },
  };

  const plugins = [configPlugin, injectRevalidatorPlugin(ctx), watchLiveExportsPlugin(ctx), devStreamServerPlugin(() => framework)];
  return Object.assign(plugins, { preset });
}

/**
 * Remix or React Router resolved the app's routes in its own `config` hook, before this: through
 * the preset or `withLiveRoutes()`, remix-live learned them then (an instance of the Vite config
 * loaded a second time finds them by project root). Without either, a module that exports `live`
 * would build and run with no stream, and no word of why. An app that uses remix-live for
 * hand-written streams only needs neither. (Without the framework's plugin, as in a test
 * runner's copy of the config, there is nothing to check.)
 */
function checkRoutesRegistered(ctx: LiveContext, plugins: readonly { name: string }[]): void {
  const framework = plugins.find((plugin) => plugin.name === "remix" || plugin.name === "react-router")?.name;
  if (!framework || ctx.routeIdsByFile.size > 0) return;
  const live = findLiveModule(ctx, path.join(ctx.rootDirectory, "app"));
  if (!live) return;
  const wrap = 'wrap its routes there: import { withLiveRoutes } from "remix-live/routes"; export default withLiveRoutes(flatRoutes());';
  throw new Error(
    `remix-live: ${ctx.relative(live)} exports \`live\`, but remix-live never learned the app's routes, so no page would follow a stream. ` +
      (framework === "react-router"
        ? `In app/routes.ts, ${wrap}`
        : "Add its preset: const live = remixLive(); plugins: [live, remix({ presets: [live.preset] })]. " +
          `(An app that declares its routes in app/routes.ts, with future.v3_routeConfig, should instead ${wrap})`),
  );
}

/** The first module under `directory` that exports `live` (a value remix-live rejects counts too). */
function findLiveModule(ctx: LiveContext, directory: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(directory, { recursive: true, encoding: "utf8" });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/\.[cm]?[jt]sx?$/.test(entry) || entry.split(path.sep).some((part) => part === "node_modules" || part.startsWith("."))) continue;
    const file = path.join(directory, entry);
    try {
      if (ctx.detect(file)) return file;
    } catch (error) {
      if (error instanceof LiveExportError) return file;
    }
  }
  return undefined;
}

/** Whether the app gets remix-live from a node_modules folder (not a link to a checkout of it). */
function isInstalledPackage(root: string): boolean {
  try {
    const entry = createRequire(path.join(root, "package.json")).resolve("remix-live/react");
    return realpathSync(entry).split(path.sep).includes("node_modules");
  } catch {
    return false;
  }
}

function checkSupported(config: VitePluginConfig, rootDirectory: string): void {
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
    const routesFile = path.relative(rootDirectory, path.resolve(rootDirectory, config.appDirectory ?? "app", "routes.ts"));
    throw new Error(
      `remix-live: this app declares its routes in ${routesFile} (future.v3_routeConfig), where Remix refuses routes from presets. ` +
        "Remove live.preset from remix({ presets }) and wrap the routes there instead: " +
        'import { withLiveRoutes } from "remix-live/routes"; export default withLiveRoutes(flatRoutes());',
    );
  }
}
