import { readFileSync } from "node:fs";
import MagicString from "magic-string";
import type { Plugin } from "vite";
import type { LiveContext } from "../context.js";
import { codeFrame } from "../code-frame.js";
import { LiveExportError } from "../detect.js";
import { parseModule } from "../parse-module.js";
import { injectRevalidator } from "../transforms/inject-revalidator.js";
import { stripLiveExport } from "../transforms/strip-live-export.js";
import { wrapAction } from "../transforms/wrap-action.js";
import { wrapShouldRevalidate } from "../transforms/wrap-should-revalidate.js";

/**
 * Fast Refresh would swap the wrapper for the bare component (or back) in place and leave the old
 * stream open, or none at all, when an edit adds or removes `live`. A marker export that only live
 * routes have makes Remix's refresh runtime reload the page instead: it refuses updates that add
 * or remove exports.
 */
const LIVE_ROUTE_MARKER = "__remixLiveRoute";

/**
 * Wraps the default export of each live route so the page follows its stream, and removes the
 * `live` export from the browser's copy of the module. Runs in normal order, listed before
 * `remix()`: it then sees JavaScript (after esbuild) and its wrapper still passes through Remix's
 * React Refresh step.
 */
export function injectRevalidatorPlugin(ctx: LiveContext): Plugin {
  return {
    name: "remix-live:inject-revalidator",
    transform(code, moduleId, options) {
      // Remix's client build enters routes through `?__remix-build-client-route` (React Router's
      // through `?__react-router-build-client-route`), which re-exports from the plain id
      // transformed here. React Router's split route modules take the component from
      // `?route-chunk=main`, which it cuts from the code this transform returns for that id.
      const [id, query] = moduleId.split("?") as [string, string | undefined];
      if (query !== undefined && query !== "route-chunk=main") return;
      // The browser's copy of a generated stream route is empty: it has nothing a page needs, and
      // its import of `live` would point at the route's browser copy, where `live` is removed.
      if (!options?.ssr && ctx.isGeneratedRoute(id)) return { code: "export {};\n", map: null };
      const routeIds = ctx.routeIdsByFile.get(id);
      if (routeIds === undefined) return;
      let live;
      try {
        // The file on disk, not `code`: error lines must point at what the user wrote.
        live = ctx.detect(id);
      } catch (error) {
        if (error instanceof LiveExportError) throw sourceLocatedError(error, id);
        return; // A syntax error: Vite's own transform reports it better.
      }
      const s = new MagicString(code);
      const ast = parseModule(code, id);
      // Every route, live or not, on the server too: Remix reads a module's exports from its server copy.
      const shouldRevalidate = wrapShouldRevalidate(s, ast, routeIds);
      let wrapped = shouldRevalidate === "wrapped";
      // Said once, from the browser's copy.
      if (!options?.ssr && shouldRevalidate === "unsupported") {
        this.warn(
          `exports \`shouldRevalidate\` in a form remix-live cannot wrap (a declaration that exports other names too, or \`export * as\`), ` +
            "so its loader re-runs for every live event on its page. Declare it on its own: export function shouldRevalidate(args) { ... }",
        );
      }
      // The server's copy of every action: its emits name the submission (its tab then skips the echo).
      if (options?.ssr && wrapAction(s, ast) === "wrapped") wrapped = true;
      if (!live) return wrapped ? withSourceMap(s, id) : undefined;
      const result = injectRevalidator(s, ast, routeIds, ctx.options.coalesceWindow);
      // The server keeps `live`: the generated stream route imports a live function from here.
      const stripped = !options?.ssr && stripLiveExport(s, ast);
      if (!options?.ssr && result === "injected") s.append(`export const ${LIVE_ROUTE_MARKER} = true;\n`);
      // Said once, from the browser's copy: the server's copy of the same file would repeat it.
      // Vite puts the file's path before what a plugin warns.
      if (!options?.ssr && (result === "no-default-export" || result === "unsupported-default-export")) {
        this.warn(
          `exports \`live\` but ${result === "no-default-export" ? "has no default export" : "exports its default in a form remix-live cannot wrap (`export * as default`)"}, ` +
            "so remix-live cannot make its page follow the stream. Call useLiveLoader() from remix-live/react in the component instead " +
            "(a resource route has no page: its /stream URL still serves hand-written clients, or remove `live`).",
        );
      }
      if (result !== "injected" && !stripped && !wrapped) return;
      return withSourceMap(s, id);
    },
  };
}

/**
 * The error Vite shows for a bad `live` value, located in the file the user wrote. Vite would take
 * a `loc` given to `this.error()` as a position in the compiled module and map it back through the
 * source map, which moves it; an error that brings its own `pluginCode` is shown as it is. Its
 * `loc.column` is 1-based like the message, so the overlay's link opens where the message points.
 */
function sourceLocatedError(error: LiveExportError, id: string): Error {
  const source = readFileSync(id, "utf8");
  return Object.assign(new Error(error.message), {
    id,
    plugin: "remix-live:inject-revalidator",
    pluginCode: source,
    loc: { file: id, line: error.line, column: error.column + 1 },
    frame: codeFrame(source, error.line, error.column),
  });
}

function withSourceMap(s: MagicString, id: string) {
  return { code: s.toString(), map: s.generateMap({ hires: "boundary", source: id }) };
}
