import type { IncomingMessage, ServerResponse } from "node:http";
import { refuseStreamMethod, type EventStreamOptions } from "./event-stream.js";
import type { LiveHub } from "./hub.js";
import { sendResponse, writeEventStream } from "./node-event-stream.js";
import { resolveChannels, type LiveSource } from "./serve-live-stream.js";

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

interface StreamRoute {
  pattern: RegExp;
  params: string[];
  live: LiveSource;
  options: EventStreamOptions & { route?: string };
}

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
  const tables = new WeakMap<ServerBuildRoutes, StreamRoute[]>();
  const loadBuild = typeof options.build === "function" ? options.build : () => options.build as ServerBuildRoutes;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const build = await loadBuild();
    let table = tables.get(build);
    if (!table) tables.set(build, (table = streamRoutes(build)));
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    // A Remix data request (`?_data=<route id>`, without single fetch) is Remix's to answer or refuse.
    if (url.searchParams.has("_data")) return false;
    for (const route of table) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      if (req.method !== "GET" && req.method !== "HEAD") {
        await sendResponse(res, refuseStreamMethod());
        return true;
      }
      const params: Record<string, string | undefined> = {};
      route.params.forEach((name, index) => {
        const value = match[index + 1];
        params[name] = value === undefined ? undefined : safeDecode(value);
      });
      const resolved = await resolveChannels(
        route.live,
        params,
        async () => ({ request: toRequest(req, url), params, context: (await options.getLoadContext?.(req, res)) ?? {} }),
        route.options.route,
      );
      if ("refusal" in resolved) await sendResponse(res, resolved.refusal);
      else await writeEventStream(res, resolved.channels, { ...route.options, ...(options.hub ? { hub: options.hub } : {}), headOnly: req.method === "HEAD" });
      return true;
    }
    return false;
  };

  return (req, res, next) => {
    serve(req, res).then((served) => served || next(), next);
  };
}

/** The generated stream routes of a build, as URL patterns. */
function streamRoutes(build: ServerBuildRoutes): StreamRoute[] {
  const basename = (build.basename ?? "/").replace(/\/+$/, "");
  const table: StreamRoute[] = [];
  for (const route of Object.values(build.routes)) {
    const stream = route.module.remixLiveStream as { live: LiveSource; options: StreamRoute["options"] } | undefined;
    if (!stream) continue;
    const segments: string[] = [];
    for (let current: typeof route | undefined = route; current; current = current.parentId ? build.routes[current.parentId] : undefined) {
      if (current.path) segments.unshift(...current.path.split("/").filter(Boolean));
    }
    const params: string[] = [];
    const source = segments
      .map((segment) => {
        if (!segment.startsWith(":")) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
        params.push(segment.slice(1).replace(/\?$/, ""));
        return segment.endsWith("?") ? "(?:/([^/]+))?" : "/([^/]+)";
      })
      .join("");
    table.push({ pattern: new RegExp(`^${basename}${source}/?$`, route.caseSensitive ? "" : "i"), params, live: stream.live, options: stream.options });
  }
  return table;
}

function toRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  return new Request(url, { method: "GET", headers });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
