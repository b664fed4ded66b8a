import { DEFAULT_HEARTBEAT_INTERVAL, openEventStream, type EventStreamOptions } from "./event-stream.js";
import { encodeRoutesFrame } from "./frames.js";
import type { LiveHub } from "./hub.js";
import { resolveRouteChannels, type LiveArgs, type ResolvedChannels } from "./serve-live-stream.js";
import { SHARED_STREAM_PATH } from "../shared/stream-export.js";
import { compileStreamRoute, matchStreamRoute, type LiveStreamExport, type MatchedStreamRoute, type StreamRoute } from "./stream-route-table.js";

/**
 * The shared stream: one connection that carries the events of several live routes, so that a
 * browser holds one connection to the app however many tabs and live routes it has open.
 *
 *   GET /__remix-live/stream?route=/chat/stream&route=/rooms/1/stream
 *
 * Each `route` is the stream URL of one live route (without the basename). It is resolved exactly
 * as a request to that URL would be, with this request's cookies and headers: the same params, the
 * same live function. A route that refuses (401, 403, a redirect, an unknown URL) is refused alone;
 * the first event says what each route follows:
 *
 *   event: routes
 *   data: {"heartbeat":15000,"routes":{"/chat/stream":["chat"],"/private/stream":403}}
 *
 * Events then name channels, as on a route's own stream. No parameter names a channel: channels
 * come only from the routes, which the request could open one by one anyway.
 *
 * A page's loaders run before its routes join the stream, and what is emitted in between would be
 * missed. So the client says which routes its stream did not carry already, with how old their
 * data is (`&age=350,0`: milliseconds, in the order of the `route`s; 0 for a route an open stream
 * carries), and the first event says, for each of those, how long ago its channels last changed
 * (or may have: see `LiveHub.lastChange`). The client compares that with when it loaded the data:
 *
 *   data: {"heartbeat":15000,"routes":{"/chat/stream":["chat"]},"changed":{"/chat/stream":120}}
 *
 * Both durations are measured on one clock each, so the clocks need not agree: a change that came
 * less than a round trip before the data was loaded is taken for missed, never the reverse.
 */
/** Routes one shared stream may ask for; a page rarely has more than a few live routes, a browser a few dozen. */
export const MAX_SHARED_ROUTES = 64;

/** What the generated shared stream route exports: every generated stream route with its path pattern, and the stream options. */
export interface SharedStreamExport {
  routes: ReadonlyArray<readonly [path: string, stream: LiveStreamExport]>;
  options: EventStreamOptions;
}

export interface SharedStreamPlan {
  channels: string[];
  routes: Record<string, string[] | number>;
  /** The routes whose data the client loaded before asking for the stream (a positive age). */
  asked: string[];
}

/** What a shared stream request asks for: its `route` paths, and how old (ms) the page data each serves is (`age`). */
export interface SharedStreamRequest {
  paths: string[];
  ages: number[];
}

/**
 * What a shared stream for `paths` carries, or the response that refuses it as a whole (no route
 * asked for, too many, or a path that is not one). `resolve` resolves one route's channels as a
 * request to that route's own stream URL would.
 */
export async function planSharedStream(
  table: readonly StreamRoute[],
  { paths, ages }: SharedStreamRequest,
  resolve: (matched: MatchedStreamRoute, path: string) => Promise<ResolvedChannels>,
  /** Prefixed to each path before matching, for a table compiled with the app's basename. */
  basename = "",
): Promise<{ plan: SharedStreamPlan } | { refusal: Response }> {
  const unique = [...new Set(paths)];
  if (unique.length === 0 || unique.length > MAX_SHARED_ROUTES || unique.some((path) => !path.startsWith("/") || path.length > 2048)) {
    return {
      refusal: new Response(`Bad Request: name 1 to ${MAX_SHARED_ROUTES} live route stream paths as ?route=/path/stream.`, {
        status: 400,
        headers: { "Content-Type": "text/plain" },
      }),
    };
  }
  const results = await Promise.all(
    unique.map(async (path): Promise<string[] | number> => {
      const matched = matchStreamRoute(table, basename + path);
      if (!matched) return 404;
      const resolved = await resolve(matched, path);
      return "refusal" in resolved ? resolved.refusal.status : resolved.channels;
    }),
  );
  const routes = Object.fromEntries(unique.map((path, index) => [path, results[index]!]));
  const channels = new Set(results.flatMap((result) => (typeof result === "number" ? [] : result)));
  const aged = new Set(paths.filter((_, index) => ages[index]! > 0));
  const asked = unique.filter((path) => aged.has(path) && typeof routes[path] !== "number");
  return { plan: { channels: [...channels], routes, asked } };
}

const tables = new WeakMap<SharedStreamExport, StreamRoute[]>();

/** The route table of a generated shared stream route, compiled once. */
function compileSharedTable(shared: SharedStreamExport): StreamRoute[] {
  let compiled = tables.get(shared);
  if (!compiled) tables.set(shared, (compiled = shared.routes.map(([path, stream]) => compileStreamRoute(path, stream))));
  return compiled;
}

/** What a shared stream request asks for (a missing or malformed age is 0: no catching up). */
export function requestedRoutes(url: URL): SharedStreamRequest {
  return { paths: url.searchParams.getAll("route"), ages: (url.searchParams.get("age") ?? "").split(",").map(Number) };
}

/** The loader of the generated shared stream route. */
export async function serveSharedStream(args: LiveArgs, shared: SharedStreamExport): Promise<Response> {
  const url = new URL(args.request.url);
  const basename = url.pathname.endsWith(SHARED_STREAM_PATH) ? url.pathname.slice(0, -SHARED_STREAM_PATH.length) : "";
  const planned = await planSharedStream(compileSharedTable(shared), requestedRoutes(url), ({ route, params }, path) =>
    resolveRouteChannels(
      route.live,
      // A request for the route's own stream URL, with this request's headers and abort signal.
      { request: new Request(new URL(basename + path, url), { headers: args.request.headers, signal: args.request.signal }), params, context: args.context },
      route.options,
    ),
  );
  if ("refusal" in planned) return planned.refusal;
  return openEventStream(args.request, planned.plan.channels, shared.options, sharedStreamPrelude(planned.plan, shared.options));
}

/**
 * The shared stream's first event: what each route follows, the heartbeat interval, and how long
 * ago the channels of the routes the client asked about last changed. Made once the stream is
 * subscribed, so that every change is either counted there or sent after it.
 */
export function sharedStreamPrelude(plan: SharedStreamPlan, options: EventStreamOptions): (hub: LiveHub) => Uint8Array {
  return (hub) => {
    const now = Date.now();
    const changed = Object.fromEntries(plan.asked.map((path) => [path, Math.max(0, now - hub.lastChange(plan.routes[path] as string[]))]));
    return encodeRoutesFrame(plan.routes, options.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL, changed);
  };
}
