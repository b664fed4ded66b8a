import type { EventStreamOptions } from "./event-stream.js";
import type { LiveSource, RouteMiddleware, ServeLiveStreamOptions } from "./serve-live-stream.js";

/** What a generated stream route exports for servers that serve it themselves (see codegen/stream-route.ts). */
export interface LiveStreamExport {
  live: LiveSource;
  options: ServeLiveStreamOptions;
}

/** A stream route as a URL matcher. */
export interface StreamRoute extends LiveStreamExport {
  pattern: RegExp;
  params: string[];
  /** The `middleware` of the live route and the routes above it, root first, for servers that run it themselves. */
  middleware?: RouteMiddleware[];
}

/** A stream URL matched to its route, with the route params taken from the URL. */
export interface MatchedStreamRoute {
  route: StreamRoute;
  params: Record<string, string | undefined>;
}

/**
 * Compiles a route path pattern (`rooms/:roomId/stream`, `:lang?/feed/stream`), under `basename`,
 * into a matcher, the way Remix matches URLs: `:name` is one segment, `:name?` an optional one.
 */
export function compileStreamRoute(path: string, stream: LiveStreamExport, options: PathOptions = {}): StreamRoute {
  return { ...compilePath(path, options), live: stream.live, options: stream.options };
}

interface PathOptions {
  basename?: string | undefined;
  caseSensitive?: boolean | undefined;
}

/** A route path pattern as a regular expression, with the names of its params in order. */
export function compilePath(path: string, { basename = "/", caseSensitive = false }: PathOptions = {}): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (!segment.startsWith(":")) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      params.push(segment.slice(1).replace(/\?$/, ""));
      return segment.endsWith("?") ? "(?:/([^/]+))?" : "/([^/]+)";
    })
    .join("");
  const prefix = basename.replace(/\/+$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { pattern: new RegExp(`^${prefix}${source}/?$`, caseSensitive ? "" : "i"), params };
}

/** The first route of `table` that serves `pathname`, with its params decoded, or null. */
export function matchStreamRoute(table: readonly StreamRoute[], pathname: string): MatchedStreamRoute | null {
  for (const route of table) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string | undefined> = {};
    route.params.forEach((name, index) => {
      const value = match[index + 1];
      params[name] = value === undefined ? undefined : safeDecode(value);
    });
    return { route, params };
  }
  return null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
