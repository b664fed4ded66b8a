import { templateParams } from "../shared/channel-template.js";
import { STREAM_ROUTE_ID_PREFIX } from "../shared/stream-export.js";
import { LiveExportError, type LiveExport } from "./detect.js";

/** The parts of a Remix route manifest entry the plan reads. */
export interface RouteEntry {
  id: string;
  file: string;
  path?: string;
  index?: boolean;
  parentId?: string;
}

export interface PlannedStreamRoute {
  /** Route id of the generated route. */
  id: string;
  /** URL path pattern, without a leading slash: `chat/stream`. */
  path: string;
  /** The live route's URL path pattern, without slashes around it: `chat` (`""` at the root). */
  url: string;
  /** The live route it serves. */
  liveRoute: RouteEntry;
  /** The routes above the live route, root left out, then the live route: whose `middleware` a request to it runs after the root's. */
  chain: RouteEntry[];
  live: LiveExport;
}

export class StreamRouteConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StreamRouteConflictError";
  }
}

export const STREAM_SEGMENT = "stream";
export { STREAM_ROUTE_ID_PREFIX };
/**
 * The generated route that serves every live route's events over one connection: outside the
 * prefix, which a route whose own id is `shared` would fill.
 */
export const SHARED_ROUTE_ID = "remix-live";

/**
 * Decides the `/stream` resource route of each live route: its URL is the live route's URL plus
 * `/stream`, so `/rooms/:id` is served by `/rooms/:id/stream` with the same params.
 * Throws `StreamRouteConflictError` when that URL is taken, naming both files, as `fileName` gives
 * them (from a route file relative to the app directory: the path from the project root).
 */
export function planStreamRoutes(
  routes: Record<string, RouteEntry>,
  liveExports: ReadonlyMap<string, LiveExport>,
  fileName: (routeFile: string) => string = (file) => file,
): PlannedStreamRoute[] {
  const occupied = new Map<string, RouteEntry>();
  for (const route of Object.values(routes)) {
    const url = urlOf(route, routes);
    if (url !== null && (route.index || route.path)) occupied.set(normalize(url), route);
  }

  const planned: PlannedStreamRoute[] = [];
  const claimed = new Map<string, PlannedStreamRoute>();
  for (const [routeId, live] of liveExports) {
    const route = routes[routeId];
    if (!route) continue;
    const url = urlOf(route, routes);
    if (url === null) {
      throw new StreamRouteConflictError(
        `${fileName(route.file)}: a splat route (\`*\`) cannot be live, because no /stream URL can follow it. ` +
          "Export `live` from its parent route instead.",
      );
    }
    checkTemplateParams(fileName(route.file), url, live);
    const path = [url, STREAM_SEGMENT].filter(Boolean).join("/");
    const key = normalize(path);
    const taken = occupied.get(key);
    if (taken) {
      throw new StreamRouteConflictError(
        `${fileName(route.file)} exports \`live\`, so remix-live serves its events at /${path}, but ${fileName(taken.file)} already ` +
          `handles that URL. Rename one of the routes.`,
      );
    }
    const twin = claimed.get(key);
    if (twin) {
      throw new StreamRouteConflictError(
        `${fileName(twin.liveRoute.file)} and ${fileName(route.file)} both export \`live\` and share the URL /${url}, so both ` +
          `would be served at /${path}. Export \`live\` from only one of them.`,
      );
    }
    const chain: RouteEntry[] = [];
    for (let current: RouteEntry | undefined = route; current && current.parentId !== undefined; current = routes[current.parentId]) chain.unshift(current);
    const entry: PlannedStreamRoute = { id: STREAM_ROUTE_ID_PREFIX + routeId, path, url, liveRoute: route, chain, live };
    claimed.set(key, entry);
    planned.push(entry);
  }
  return planned;
}

/** Every `$param` in a channel template must be a param of the route's URL. */
function checkTemplateParams(file: string, url: string, live: LiveExport): void {
  if (live.kind !== "channels") return;
  const params = url
    .split("/")
    .filter((segment) => segment.startsWith(":"))
    .map((segment) => segment.slice(1).replace(/\?$/, ""));
  for (const [index, channel] of live.channels.entries()) {
    const unknown = templateParams(channel).find((param) => !params.includes(param));
    if (unknown === undefined) continue;
    const known = params.length ? `its params are ${params.map((param) => `$${param}`).join(", ")}` : "it has no params";
    const at = live.channelsAt?.[index] ?? live;
    throw new LiveExportError(
      file,
      at.line,
      at.column,
      `"${channel}" names $${unknown}, which is not a param of the route's URL /${url} (${known})`,
    );
  }
}

/** The full URL pattern of a route without leading or trailing slashes, or `null` below a splat. */
function urlOf(route: RouteEntry, routes: Record<string, RouteEntry>): string | null {
  const segments: string[] = [];
  for (let current: RouteEntry | undefined = route; current; current = current.parentId ? routes[current.parentId] : undefined) {
    if (current.path) segments.unshift(...current.path.split("/"));
  }
  const cleaned = segments.filter(Boolean);
  if (cleaned.includes("*")) return null;
  return cleaned.join("/");
}

/** Two patterns that match the same URLs compare equal: param names and case do not matter. */
function normalize(url: string): string {
  return url
    .split("/")
    .filter(Boolean)
    .map((segment) => (segment.startsWith(":") ? (segment.endsWith("?") ? ":?" : ":") : segment.toLowerCase()))
    .join("/");
}
