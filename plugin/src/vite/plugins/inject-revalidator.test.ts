import { readdirSync } from "node:fs";
import path from "node:path";
import type { SourceMapInput } from "@jridgewell/trace-mapping";
import type { Plugin } from "vite";
import { describe, expect, test } from "vitest";
import { compileLikeVite } from "../../../test/compile-like-vite.js";
import { expectKeptLinesMapped } from "../../../test/kept-lines.js";
import { LiveContext } from "../context.js";
import { injectRevalidatorPlugin } from "./inject-revalidator.js";

// Live routes with a default export, some with a live function and imports only it uses: the
// browser's copy loses those lines and gains the wrapper, the server's copy gains the wrapper.
const fixtures = path.join(import.meta.dirname, "../transforms/fixtures/strip-live-export");
const cases = readdirSync(fixtures)
  .sort()
  .filter((name) => name !== "not-live");

function transform(file: string, ssr: boolean): { input: string; code: string; map: SourceMapInput } {
  const ctx = new LiveContext({ heartbeatInterval: undefined, maxStreams: undefined, outDir: ".remix-live" });
  ctx.rootDirectory = path.dirname(file);
  ctx.routeIdsByFile = new Map([[file, ["routes/chat"]]]);
  const plugin = injectRevalidatorPlugin(ctx) as Plugin & { transform: (...args: unknown[]) => unknown };
  const input = compileLikeVite(file);
  const pluginContext = {
    warn: (message: unknown) => {
      throw new Error(`unexpected warning: ${String(message)}`);
    },
    error: (error: unknown) => {
      throw error;
    },
  };
  const result = plugin.transform.call(pluginContext, input, file, { ssr }) as { code: string; map: SourceMapInput } | undefined;
  if (!result) throw new Error(`the plugin left ${file} unchanged`);
  return { input, ...result };
}

describe.each(cases)("%s", (name) => {
  const file = path.join(fixtures, name, "input.tsx");

  test.each([
    ["browser", false],
    ["server", true],
  ] as const)("the %s copy's source map takes every line kept from the route module back to that line and column", (_, ssr) => {
    const { input, code, map } = transform(file, ssr);
    const moved = expectKeptLinesMapped(input, code, map, file);
    // The component's JSX is kept in every fixture, on a line that moved: a map that said
    // "unchanged" would have failed above.
    expect(code.split("\n").some((line) => line.includes("jsx(") && input.split("\n").includes(line))).toBe(true);
    expect(moved).toBeGreaterThanOrEqual(1);
  });
});
