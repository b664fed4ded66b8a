import { readdirSync } from "node:fs";
import path from "node:path";
import type { SourceMapInput } from "@jridgewell/trace-mapping";
import MagicString from "magic-string";
import { describe, expect, test } from "vitest";
import { parseModule } from "../parse-module.js";
import { injectRevalidator } from "./inject-revalidator.js";
import { compileLikeVite } from "../../../test/compile-like-vite.js";
import { expectKeptLinesMapped } from "../../../test/kept-lines.js";

const fixtures = path.join(import.meta.dirname, "fixtures/inject-revalidator");
const cases = readdirSync(fixtures).sort();


describe.each(cases)("%s", (name) => {
  const input = compileLikeVite(path.join(fixtures, name, "input.tsx"));
  const id = `/app/routes/${name}.tsx`;
  const s = new MagicString(input);
  const result = injectRevalidator(s, parseModule(input, id), "routes/chat");
  const output = result === "injected" ? s.toString() : `// unchanged: ${result}\n`;

  test("matches the expected output", async () => {
    await expect(output).toMatchFileSnapshot(path.join(fixtures, name, "output.js"));
  });

  if (result !== "injected") return;

  test("produces a module that parses and keeps every other export", () => {
    const ast = parseModule(output, id);
    const exported = (code: string) =>
      parseModule(code, id)
        .program.body.flatMap((node) =>
          node.type === "ExportNamedDeclaration"
            ? [
                ...node.specifiers.map((s) => (s.exported.type === "Identifier" ? s.exported.name : s.exported.value)),
                ...(node.declaration && "id" in node.declaration && node.declaration.id?.type === "Identifier" ? [node.declaration.id.name] : []),
                ...(node.declaration?.type === "VariableDeclaration"
                  ? node.declaration.declarations.map((d) => (d.id.type === "Identifier" ? d.id.name : ""))
                  : []),
              ]
            : node.type === "ExportDefaultDeclaration"
              ? ["default"]
              : [],
        )
        .sort();
    expect(ast.program.body.filter((node) => node.type === "ExportDefaultDeclaration")).toHaveLength(1);
    expect(exported(output)).toEqual(exported(input));
  });

  test("is idempotent: a second run changes nothing", () => {
    const again = new MagicString(output);
    expect(injectRevalidator(again, parseModule(output, id), "routes/chat")).toBe("already-injected");
    expect(again.toString()).toBe(output);
  });

  test("its source map takes every line it kept from the input back to that line and column of the input", () => {
    // The same map the Vite plugin returns for the module (plugins/inject-revalidator.ts).
    const moved = expectKeptLinesMapped(input, output, s.generateMap({ hires: "boundary", source: id }) as unknown as SourceMapInput, id);
    // The injected imports moved the kept lines down, so a map that said "unchanged" would fail above.
    expect(moved).toBeGreaterThanOrEqual(1);
  });
});

test("a coalescing window set in remixLive() is passed to the runtime; left unset, the runtime's default applies", () => {
  const input = compileLikeVite(path.join(fixtures, "named-function", "input.tsx"));
  const render = (window?: number) => {
    const s = new MagicString(input);
    injectRevalidator(s, parseModule(input, "/app/routes/chat.tsx"), "routes/chat", window);
    return s.toString();
  };
  expect(render(80)).toContain(`__remixLive_useLiveRoute("routes/chat", 80);`);
  expect(render()).toContain(`__remixLive_useLiveRoute("routes/chat");`);
});

test("a module that several routes share (one file mounted at two URLs) passes every route's id, and the page follows the one it renders", () => {
  const input = compileLikeVite(path.join(fixtures, "named-function", "input.tsx"));
  const s = new MagicString(input);
  injectRevalidator(s, parseModule(input, "/app/routes/rooms.tsx"), ["routes/rooms.$id", "lobby"]);
  expect(s.toString()).toContain(`__remixLive_useLiveRoute(["routes/rooms.$id","lobby"]);`);
});
