import type { IncomingMessage, ServerResponse } from "node:http";
import { refuseStreamMethod, type EventStreamOptions } from "./event-stream.js";
import type { LiveHub } from "./hub.js";
import { sendResponse, writeEventStream } from "./node-event-stream.js";
import { resolveBehindMiddleware, resolveChannels, type ReportError, type ResolvedChannels, type RouteMiddleware } from "./serve-live-stream.js";
import { compilePath, compileStreamRoute, matchStreamRoute, type LiveStreamExport, type MatchedStreamRoute, type StreamRoute } from "./stream-route-table.js";
import { SHARED_EXPORT, SHARED_STREAM_PATH, STREAM_EXPORT, STREAM_ROUTE_ID_PREFIX } from "../shared/stream-export.js";
import { planSharedStream, requestedRoutes, sharedStreamPrelude, type SharedStreamExport } from "./shared-stream.js";

/** The parts of a Remix server build (`import * as build from "./build/server/index.js"`) read here. */
export interface ServerBuildRoutes {
  basename?: string;
  future?: Record<string, unknown>;
  routes: Record<string, { id: string; parentId?: string; path?: string; caseSensitive?: boolean; module: Record<string, unknown> }>;
}

export interface LiveStreamHandlerOptions {
  /** The server build, or a function that returns it (in dev, `() => vite.ssrLoadModule("virtual:remix/server-build")`). */
  build: ServerBuildRoutes | (() => ServerBuildRoutes | Promise<ServerBuildRoutes>);
  /** What a live function gets as `context`, like Remix's `getLoadContext` (which may be async). */
  getLoadContext?: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** @default the process-wide hub */
  hub?: LiveHub;
  /**
   * @internal Rewrites an error's stack to the app's source lines before it is logged: the dev
   * server's `ssrFixStacktrace`, for a build loaded with `ssrLoadModule`.
   */
  fixStacktrace?: (error: Error) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;


/**
 * Connect/Express middleware that serves the stream routes remix-live generates, ahead of Remix's
 * request handler: the same channels, authorization and responses, without Remix's request
 * pipeline or a web stream per connection, so each open stream costs little more than its socket.
 * Any other request goes on to `next()`.
 *
 *   app.use(createLiveStreamHandler({ build }));
 *   app.all("*", createRequestHandler({ build }));
 */
export function createLiveStreamHandler(options: LiveStreamHandlerOptions): Handler {
  const tables = new WeakMap<ServerBuildRoutes, BuildStreams>();
  const loadBuild = typeof options.build === "function" ? options.build : () => options.build as ServerBuildRoutes;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const build = await loadBuild();
    let streams = tables.get(build);
    if (!streams) tables.set(build, (streams = streamRoutes(build)));
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    // A Remix data request (`?_data=<route id>`, without single fetch) is Remix's to answer or refuse.
    if (url.searchParams.has("_data")) return false;
    const shared = streams.shared?.pattern.test(url.pathname) ? streams.shared : null;
    const matched = shared ? null : matchStreamRoute(streams.table, url.pathname);
    if (!shared && !matched) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      await sendResponse(res, refuseStreamMethod());
      return true;
    }
    const hub = options.hub ? { hub: options.hub } : {};
    const headOnly = req.method === "HEAD";
    const { newContext } = streams;
    const loadContext = async () => (await options.getLoadContext?.(req, res)) ?? newContext?.() ?? {};
    let sharedContext: Promise<unknown> | undefined;
    const { fixStacktrace } = options;
    const report: ReportError | undefined = fixStacktrace
      ? (message, ...error) => {
          if (error[0] instanceof Error) fixStacktrace(error[0]);
          console.error(message, ...error);
        }
      : undefined;
    /** One route's channels, as a request to its own stream URL (`streamUrl`) would have them. */
    const resolve = async ({ route, params }: MatchedStreamRoute, streamUrl: URL): Promise<ResolvedChannels> => {
      const name = route.options.route;
      if (!newContext || !route.middleware?.length) {
        const makeArgs = async () => ({ request: toRequest(req, streamUrl), params, context: await (sharedContext ??= loadContext()) });
        return resolveChannels(route.live, params, makeArgs, name, report);
      }
      // Behind middleware, each route's stream is a request of its own, with a context of its own.
      const args = { request: toRequest(req, streamUrl), params, context: await loadContext() };
      return resolveBehindMiddleware(route.middleware, args, () => resolveChannels(route.live, params, () => args, name, report), name ?? "a live route", report);
    };
    if (shared) {
      const { basename } = streams;
      const planned = await planSharedStream(streams.table, requestedRoutes(url), (route, path) => resolve(route, new URL(basename + path, url)), basename);
      if ("refusal" in planned) await sendResponse(res, planned.refusal);
      else await writeEventStream(res, planned.plan.channels, { ...shared.options, ...hub, headOnly, prelude: sharedStreamPrelude(planned.plan, shared.options) });
      return true;
    }
    const { route } = matched!;
    const resolved = await resolve(matched!, url);
    if ("refusal" in resolved) await sendResponse(res, resolved.refusal);
    else await writeEventStream(res, resolved.channels, { ...route.options, ...hub, headOnly });
    return true;
  };

  return (req, res, next) => {
    serve(req, res).then((served) => served || next(), next);
  };
}

/** The generated routes of one build: each live route's stream, and the shared stream. */
interface BuildStreams {
  table: StreamRoute[];
  shared: { pattern: RegExp; options: EventStreamOptions } | null;
  /** The build's basename without its trailing slash: "" or "/app". */
  basename: string;
  /**
   * With route middleware on (React Router 8, or 7 with `future.v8_middleware`), the context React
   * Router would make when `getLoadContext` gives none: a `RouterContextProvider`.
   */
  newContext: (() => object) | null;
}

/** The generated stream routes of a build, as URL matchers. */
function streamRoutes(build: ServerBuildRoutes): BuildStreams {
  const table: StreamRoute[] = [];
  const basename = (build.basename ?? "/").replace(/\/+$/, "");
  let shared: BuildStreams["shared"] = null;
  let newContext: BuildStreams["newContext"] = null;
  for (const route of Object.values(build.routes)) {
    const sharedExport = route.module[SHARED_EXPORT] as SharedStreamExport | undefined;
    if (sharedExport) {
      shared = { pattern: compilePath(SHARED_STREAM_PATH, { basename: build.basename }).pattern, options: sharedExport.options };
    }
    const stream = route.module[STREAM_EXPORT] as LiveStreamExport | undefined;
    if (!stream) continue;
    // React Router's stream routes hand over its RouterContextProvider. React Router 7 says whether
    // middleware is on; from 8 it always is (and the flag is gone).
    const Provider = stream.options.contextProvider;
    if (Provider && (build.future?.v8_middleware ?? true)) newContext = () => new Provider();
    const segments: string[] = [];
    for (let current: typeof route | undefined = route; current; current = current.parentId ? build.routes[current.parentId] : undefined) {
      if (current.path) segments.unshift(current.path);
    }
    const compiled = compileStreamRoute(segments.join("/"), stream, { basename: build.basename, caseSensitive: route.caseSensitive });
    table.push({ ...compiled, middleware: middlewareAbove(build, route.id.slice(STREAM_ROUTE_ID_PREFIX.length)) });
  }
  if (!shared) newContext = null;
  return { table, shared, basename, newContext };
}

/** The `middleware` of route `routeId` and of the routes above it, root first. */
function middlewareAbove(build: ServerBuildRoutes, routeId: string): RouteMiddleware[] {
  const chain: RouteMiddleware[][] = [];
  for (let route = build.routes[routeId]; route; route = route.parentId ? build.routes[route.parentId] : undefined) {
    const middleware = route.module.middleware;
    if (Array.isArray(middleware)) chain.unshift(middleware as RouteMiddleware[]);
  }
  return chain.flat();
}

function toRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  return new Request(url, { method: "GET", headers });
}
