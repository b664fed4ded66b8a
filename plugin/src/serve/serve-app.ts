import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createLiveStreamHandler, type ServerBuildRoutes } from "../server/live-stream-handler.js";

/**
 * What `remix-serve` (or `react-router-serve`) does, with the app's live streams served by
 * `createLiveStreamHandler` ahead of everything: a stream request never enters Express, Remix's
 * request pipeline or the compression middleware. Everything else goes through the same Express
 * app the original command builds, from the same packages: they are resolved from the app's own
 * `@remix-run/serve` (or `@react-router/serve`), so the app adds no dependency and gets the same
 * static file caching, compression, logging and request handler versions.
 */
interface Flavour {
  /** The command this one stands in for, in log lines. */
  name: "remix-serve" | "react-router-serve";
  /** `require` from inside the original command's package, then from the app. */
  require: (id: string) => unknown;
  /** Its Express adapter package. */
  adapter: "@remix-run/express" | "@react-router/express";
}

export interface ServeOptions {
  /** The server build, e.g. `build/server/index.js`. */
  buildPath: string;
  /** The app's folder, where its packages are found. */
  cwd?: string;
}

type ServerBuild = ServerBuildRoutes & { publicPath: string; assetsBuildDirectory: string; future?: { v3_singleFetch?: boolean } };
type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;
interface ExpressApp {
  /** Without `next`, Express answers what no middleware did with its own final handler (404, or 500 on an error). */
  (req: http.IncomingMessage, res: http.ServerResponse): void;
  disable(setting: string): void;
  use(...args: unknown[]): void;
}
interface Express {
  (): ExpressApp;
  static(root: string, options?: object): Middleware;
}

const NAME = "remix-live-serve";

export async function serveApp({ buildPath: buildPathArg, cwd = process.cwd() }: ServeOptions): Promise<http.Server> {
  process.env.NODE_ENV = process.env.NODE_ENV ?? "production";
  const flavour = findFlavour(cwd);
  installSourceMaps(flavour);
  const buildPath = path.resolve(cwd, buildPathArg);
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  if (flavour.name === "remix-serve") {
    // As remix-serve: Node's own fetch with single fetch, @remix-run/web-fetch's without.
    const node = flavour.require("@remix-run/node") as { installGlobals(options: { nativeFetch?: boolean }): void };
    node.installGlobals({ nativeFetch: build.future?.v3_singleFetch });
  }

  const express = flavour.require("express") as Express;
  const compression = flavour.require("compression") as () => Middleware;
  const morgan = flavour.require("morgan") as (format: string) => Middleware;
  const { createRequestHandler } = flavour.require(flavour.adapter) as { createRequestHandler(options: { build: unknown; mode?: string }): Middleware };

  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  if (flavour.name === "remix-serve") {
    app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  } else {
    const publicPath = urlPath(build.publicPath);
    app.use(path.posix.join(publicPath, "assets"), express.static(path.join(build.assetsBuildDirectory, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(publicPath, express.static(build.assetsBuildDirectory));
  }
  app.use(express.static(path.join(cwd, "public"), { maxAge: "1h" }));
  if (flavour.name === "react-router-serve") app.use("/.well-known", express.static(path.join(build.assetsBuildDirectory, ".well-known")));
  app.use(morgan("tiny"));
  app.use(createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const live = createLiveStreamHandler({ build });
  // Nothing else runs for a stream: no Express, no compression, no log line (remix-serve's log
  // shows a stream once it has ended, hours later; the hub's stats() count them instead).
  const server = http.createServer((req, res) =>
    live(req, res, (error) => {
      if (!error) return app(req, res); // Express's own final handler answers what nothing else did.
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }),
  );
  const host = process.env.HOST;
  const port = parsePort(process.env.PORT) ?? (await freePort(host));
  const onListen = () => {
    const address = host ?? Object.values(os.networkInterfaces()).flat().find((ip) => ip && String(ip.family).includes("4") && !ip.internal)?.address;
    console.log(`[${NAME}] http://localhost:${port}${address ? ` (http://${address}:${port})` : ""}`);
  };
  if (host) server.listen(port, host, onListen);
  else server.listen(port, onListen);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => server.close((error) => error && console.error(error)));
  }
  return server;
}

/** React Router's `publicPath` may be a whole URL (a CDN's): the app serves its path. */
function urlPath(publicPath: string): string {
  let pathname = publicPath;
  try {
    pathname = new URL(publicPath).pathname;
  } catch {
    // A path already.
  }
  return pathname.startsWith("/") ? pathname : `/${pathname}`;
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "" || Number.isNaN(Number(raw))) return undefined;
  return Number(raw);
}

/** 3000, or another free port when it is taken, as the original commands choose. */
async function freePort(host: string | undefined): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const probe = net.createServer();
      probe.unref();
      probe.once("error", () => resolve(undefined));
      probe.listen({ port, host }, () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : port));
      });
    });
  return (await tryPort(3000)) ?? (await tryPort(0)) ?? 3000;
}

function findFlavour(cwd: string): Flavour {
  const fromApp = createRequire(path.join(cwd, "package.json"));
  const candidates: Array<[Flavour["name"], string, Flavour["adapter"]]> = [
    ["remix-serve", "@remix-run/serve", "@remix-run/express"],
    ["react-router-serve", "@react-router/serve", "@react-router/express"],
  ];
  // The one the app lists comes first: a React Router app may still find @remix-run/serve hoisted, and the reverse.
  const listed = appDependencies(cwd);
  candidates.sort(([, a], [, b]) => Number(listed.has(b)) - Number(listed.has(a)));
  for (const [name, pkg, adapter] of candidates) {
    let manifest: string;
    try {
      manifest = fromApp.resolve(`${pkg}/package.json`);
    } catch {
      continue;
    }
    const fromServe = createRequire(manifest);
    // The adapter is a dependency of the serve package, or of the app.
    const require = (id: string) => {
      try {
        return fromServe(id);
      } catch {
        return fromApp(id);
      }
    };
    return { name, require, adapter };
  }
  throw new Error(
    `${NAME} runs a Remix app as remix-serve does (or a React Router app as react-router-serve does) and uses that command's packages, ` +
      `but neither @remix-run/serve nor @react-router/serve is installed in ${cwd}. Install the one your app's "start" script used.`,
  );
}

function appDependencies(cwd: string): Set<string> {
  try {
    const pkg = JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  } catch {
    return new Set();
  }
}

/** Stack traces point into the app's sources, as remix-serve's do (source-map-support, with `<file>.map` next to each file). */
function installSourceMaps(flavour: Flavour): void {
  let support: { install(options: object): void };
  try {
    support = flavour.require("source-map-support") as typeof support;
  } catch {
    process.setSourceMapsEnabled(true);
    return;
  }
  support.install({
    retrieveSourceMap(source: string) {
      if (!source.startsWith("file://")) return null;
      const map = `${fileURLToPath(source)}.map`;
      return existsSync(map) ? { url: source, map: readFileSync(map, "utf8") } : null;
    },
  });
}
