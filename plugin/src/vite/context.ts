import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { detectLiveExport, liveSignature, type LiveExport } from "./detect.js";
import { renderSharedStreamRoute } from "./codegen/shared-stream-route.js";
import { renderStreamRoute } from "./codegen/stream-route.js";
import { SHARED_STREAM_PATH } from "../shared/stream-export.js";
import { planStreamRoutes, SHARED_ROUTE_ID, STREAM_ROUTE_ID_PREFIX, type PlannedStreamRoute, type RouteEntry } from "./plan-stream-routes.js";
import { writeIfChanged } from "./write-if-changed.js";

/** Project root -> the route table of the config instance that resolved it (see `routeIdsByFile`). */
const routeTables = new Map<string, ReadonlyMap<string, string[]>>();

export interface LiveContextOptions {
  heartbeatInterval: number | undefined;
  maxStreams: number | undefined;
  /** Milliseconds a page gathers events before it revalidates; undefined leaves the runtime's default. */
  coalesceWindow?: number | undefined;
  /** Folder for generated routes, relative to the project root. */
  outDir: string;
}

type Detection = { code: string; result: LiveExport | null };

/**
 * What remix-live knows about the app: which route files export `live`, and the stream routes
 * generated for them. Shared by the preset (which registers routes) and the Vite plugins (which
 * transform modules and watch files); free of Vite so it can be tested on its own.
 */
export class LiveContext {
  rootDirectory = process.cwd();
  appDirectory = path.resolve("app");
  /** `app/routes.ts` when the app declares its routes there (`withLiveRoutes`), else undefined (the Remix preset). */
  routesFile: string | undefined;
  /** Whose routes these are: a React Router app's shared stream route also hands servers its `RouterContextProvider`. */
  framework: "remix" | "react-router" = "remix";
  #routeIdsByFile = new Map<string, string[]>();

  /**
   * Absolute route file -> route ids, for every route of the app (from the resolved Remix config):
   * one file may be the module of several routes (`route("lobby/:id", "rooms.tsx", { id: "lobby" })`).
   * Remix loads the Vite config a second time for its child compiler, which reads route exports
   * through these plugins, but never resolves the Remix config there: that second instance finds
   * the table the first one learned, by project root.
   */
  get routeIdsByFile(): ReadonlyMap<string, string[]> {
    return this.#routeIdsByFile.size > 0 ? this.#routeIdsByFile : (routeTables.get(this.rootDirectory) ?? this.#routeIdsByFile);
  }

  set routeIdsByFile(table: Map<string, string[]>) {
    this.#routeIdsByFile = table;
    routeTables.set(this.rootDirectory, table);
  }

  /** Learns the app's route table (generated stream routes left out) from its resolved manifest. */
  learnRoutes(routes: Record<string, RouteEntry>): void {
    const table = new Map<string, string[]>();
    for (const route of Object.values(routes)) {
      if (route.id.startsWith(STREAM_ROUTE_ID_PREFIX) || route.id === SHARED_ROUTE_ID) continue;
      const file = path.resolve(this.appDirectory, route.file);
      table.set(file, [...(table.get(file) ?? []), route.id]);
    }
    this.routeIdsByFile = table;
  }

  /**
   * Takes over what another plugin instance of the same project learned and generated, without
   * reading or writing the files again (each load of the Vite config makes one more instance).
   */
  adoptScan(from: LiveContext): void {
    this.appDirectory = from.appDirectory;
    this.routesFile = from.routesFile;
    this.liveSignatures = from.liveSignatures;
    this.liveUrls = from.liveUrls;
    this.#generatedFiles = from.#generatedFiles;
    this.#routeIdsByFile = from.#routeIdsByFile;
  }
  /** Route id -> `liveSignature()` of every live route found by the last scan. */
  liveSignatures = new Map<string, string>();
  /** Every live route of the last scan: its file (from the project root) and its URL pattern (`/rooms/:roomId`). A file mounted twice is here twice. */
  liveUrls: Array<[file: string, url: string]> = [];
  readonly #detections = new Map<string, Detection>();
  /** The stream route files the last scan wrote. */
  #generatedFiles = new Set<string>();

  constructor(readonly options: LiveContextOptions) {}

  get outDirectory(): string {
    return path.resolve(this.rootDirectory, this.options.outDir);
  }

  /**
   * Returns the `live` export of `file`, read from disk unless `code` is given (cached while the
   * content is unchanged).
   * Throws `LiveExportError` for a value it cannot accept and a `SyntaxError` for a file that
   * does not parse.
   */
  detect(file: string, code = readFileSync(file, "utf8")): LiveExport | null {
    const cached = this.#detections.get(file);
    if (cached?.code === code) return cached.result;
    const result = detectLiveExport(code, this.relative(file));
    this.#detections.set(file, { code, result });
    return result;
  }

  /**
   * Finds the live routes among `routes`, writes a stream route file for each and returns them
   * as manifest entries to add. `onError` decides what a bad `live` export does: the first scan
   * and builds rethrow it; later dev scans report it and treat the route as not live.
   */
  generateStreamRoutes(routes: Record<string, RouteEntry>, onError: (error: unknown) => void): Record<string, RouteEntry> {
    const liveExports = new Map<string, LiveExport>();
    for (const route of Object.values(routes)) {
      try {
        const live = this.detect(path.resolve(this.appDirectory, route.file));
        if (live) liveExports.set(route.id, live);
      } catch (error) {
        onError(error);
      }
    }
    const planned = planStreamRoutes(routes, liveExports, (file) => this.relative(path.resolve(this.appDirectory, file)));
    this.liveSignatures = new Map(planned.map((entry) => [entry.liveRoute.id, liveSignature(entry.live)]));
    this.liveUrls = planned.map((entry) => [this.relative(path.resolve(this.appDirectory, entry.liveRoute.file)), `/${entry.url}`]);
    const generated: Record<string, RouteEntry> = {};
    const keep = new Set<string>();
    for (const entry of planned) {
      const file = this.#writeStreamRoute(entry);
      keep.add(file);
      generated[entry.id] = { id: entry.id, path: entry.path, file: path.relative(this.appDirectory, file) };
    }
    if (planned.length > 0) {
      const file = this.#writeSharedStreamRoute(planned);
      keep.add(file);
      generated[SHARED_ROUTE_ID] = { id: SHARED_ROUTE_ID, path: SHARED_STREAM_PATH.slice(1), file: path.relative(this.appDirectory, file) };
    }
    this.#removeStaleFiles(keep);
    this.#generatedFiles = keep;
    return generated;
  }

  isGeneratedRoute(file: string): boolean {
    return this.#generatedFiles.has(file);
  }

  /**
   * Whether a chunk named `name` is the browser entry of a generated route: those are empty on
   * purpose (a stream route has nothing for the browser), and Rollup would warn about each one
   * ("Generated an empty chunk"), in words that a user reads as a problem with their own route.
   */
  isGeneratedChunk(name: string): boolean {
    for (const file of this.#generatedFiles) {
      if (path.basename(file, ".js").replace(/[^\w.-]/g, "_") === name) return true;
    }
    return false;
  }

  /** Whether `file`'s `live` export (in `code`, its new content) no longer matches the routes registered by the last scan. */
  liveChanged(file: string, code?: string): boolean {
    const routeIds = this.routeIdsByFile.get(file);
    if (routeIds === undefined) return false;
    let signature: string;
    try {
      signature = liveSignature(this.detect(file, code));
    } catch {
      // A broken file keeps its routes until it is fixed; the transform reports the error.
      return false;
    }
    return routeIds.some((routeId) => signature !== (this.liveSignatures.get(routeId) ?? ""));
  }

  relative(file: string): string {
    return path.relative(this.rootDirectory, file).split(path.sep).join("/");
  }

  /**
   * The stream route's file, named after the live route's id. A route whose file is outside the
   * app directory has an id that climbs out of it (`../shared/page`): its `..` becomes `__`, so
   * that the file stays inside the output folder.
   */
  #streamRouteFile(entry: PlannedStreamRoute): string {
    const segments = entry.liveRoute.id.split(/[\\/]/).map((segment) => (segment === ".." ? "__" : segment)).filter((segment) => segment && segment !== ".");
    return path.join(this.outDirectory, `${segments.join("/")}.js`);
  }

  /** One route that serves every live route's events over one connection (see server/shared-stream.ts). */
  #writeSharedStreamRoute(planned: readonly PlannedStreamRoute[]): string {
    // A name no route id makes: a route may have the id `shared`.
    const file = path.join(this.outDirectory, "__shared-stream.js");
    writeIfChanged(
      file,
      renderSharedStreamRoute({
        streamRoutes: planned.map((entry) => ({ path: entry.path, importPath: relativeSpecifier(this.outDirectory, this.#streamRouteFile(entry)) })),
        heartbeatInterval: this.options.heartbeatInterval,
        maxStreams: this.options.maxStreams,
      }),
    );
    return file;
  }

  #writeStreamRoute(entry: PlannedStreamRoute): string {
    const file = this.#streamRouteFile(entry);
    const liveRouteFile = path.resolve(this.appDirectory, entry.liveRoute.file);
    writeIfChanged(
      file,
      renderStreamRoute({
        liveRouteFile: this.relative(liveRouteFile),
        // A relative specifier keeps the generated file valid wherever the project is checked out.
        liveRouteImport: relativeSpecifier(path.dirname(file), liveRouteFile),
        // React Router runs the root's middleware before the stream route's loader (a child of the
        // root); the loader runs the rest.
        middlewareImports:
          this.framework === "react-router"
            ? entry.chain.map((route) => relativeSpecifier(path.dirname(file), path.resolve(this.appDirectory, route.file)))
            : undefined,
        heartbeatInterval: this.options.heartbeatInterval,
        maxStreams: this.options.maxStreams,
      }),
    );
    return file;
  }

  /** Deletes generated files of routes that are no longer live, including those of earlier runs. */
  #removeStaleFiles(keep: Set<string>): void {
    let entries: string[];
    try {
      entries = readdirSync(this.outDirectory, { recursive: true, encoding: "utf8" });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(this.outDirectory, entry);
      if (entry.endsWith(".js") && !keep.has(file)) rmSync(file, { force: true });
    }
  }
}

function relativeSpecifier(fromDirectory: string, file: string): string {
  const relative = path.relative(fromDirectory, file).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}
