import type { IncomingMessage, ServerResponse } from "node:http";
import { refuseStreamMethod, type EventStreamOptions } from "./event-stream.js";
import type { LiveHub } from "./hub.js";
import { sendResponse, writeEventStream } from "./node-event-stream.js";
import { resolveChannels } from "./serve-live-stream.js";
import { compilePath, compileStreamRoute, matchStreamRoute, type LiveStreamExport, type StreamRoute } from "./stream-route-table.js";
import { SHARED_EXPORT, SHARED_STREAM_PATH, STREAM_EXPORT } from "../shared/stream-export.js";
import { planSharedStream, requestedRoutes, sharedStreamPrelude, type SharedStreamExport } from "./shared-stream.js";

/** The parts of a Remix server build (`import * as build from "./build/server/index.js"`) read here. */
export interface ServerBuildRoutes {
  basename?: string;
  routes: Record<string, { id: string; parentId?: string; path?: string; caseSensitive?: boolean; module: Record<string, unknown> }>;
}

export interface LiveStreamHandlerOptions {
  /** The server build, or a function that returns it (in dev, `() => vite.ssrLoadModule("virtual:remix/server-build")`). */
  build: ServerBuildRoutes | (() => ServerBuildRoutes | Promise<ServerBuildRoutes>);
  /** What a live function gets as `context`, like Remix's `getLoadContext` (which may be async). */
  getLoadContext?: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** @default the process-wide hub */
  hub?: LiveHub;
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
    let loadContext: Promise<unknown> | undefined;
    const context = async () => (await (loadContext ??= Promise.resolve(options.getLoadContext?.(req, res)))) ?? {};
    if (shared) {
      const { basename } = streams;
      const planned = await planSharedStream(
        streams.table,
        requestedRoutes(url),
        async (path, params) => ({
          // The route's own stream URL, with this request's headers.
          request: toRequest(req, new URL(basename + path, url)),
          params,
          context: await context(),
        }),
        basename,
      );
      if ("refusal" in planned) await sendResponse(res, planned.refusal);
      else await writeEventStream(res, planned.plan.channels, { ...shared.options, ...hub, headOnly, prelude: sharedStreamPrelude(planned.plan, shared.options) });
      return true;
    }
    const { route, params } = matched!;
    const resolved = await resolveChannels(
      route.live,
      params,
      async () => ({ request: toRequest(req, url), params, context: await context() }),
      route.options.route,
    );
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
}

/** The generated stream routes of a build, as URL matchers. */
function streamRoutes(build: ServerBuildRoutes): BuildStreams {
  const table: StreamRoute[] = [];
  const basename = (build.basename ?? "/").replace(/\/+$/, "");
  let shared: BuildStreams["shared"] = null;
  for (const route of Object.values(build.routes)) {
    const sharedExport = route.module[SHARED_EXPORT] as SharedStreamExport | undefined;
    if (sharedExport) {
      shared = { pattern: compilePath(SHARED_STREAM_PATH, { basename: build.basename }).pattern, options: sharedExport.options };
    }
    const stream = route.module[STREAM_EXPORT] as LiveStreamExport | undefined;
    if (!stream) continue;
    const segments: string[] = [];
    for (let current: typeof route | undefined = route; current; current = current.parentId ? build.routes[current.parentId] : undefined) {
      if (current.path) segments.unshift(current.path);
    }
    table.push(compileStreamRoute(segments.join("/"), stream, { basename: build.basename, caseSensitive: route.caseSensitive }));
  }
  return { table, shared, basename };
}

function toRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  return new Request(url, { method: "GET", headers });
}
