import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, test } from "vitest";
import { parseModule } from "../parse-module.js";
import { injectRevalidator } from "./inject-revalidator.js";

const fixtures = path.join(import.meta.dirname, "fixtures");
const cases = readdirSync(fixtures).sort();

/** The route module as Vite hands it to the plugin: TypeScript and JSX already compiled by esbuild. */
function compile(file: string): string {
  return transformSync(readFileSync(file, "utf8"), { loader: "tsx", jsx: "automatic", sourcefile: file }).code;
}

describe.each(cases)("%s", (name) => {
  const input = compile(path.join(fixtures, name, "input.tsx"));
  const id = `/app/routes/${name}.tsx`;
  const result = injectRevalidator(input, parseModule(input, id), "routes/chat");
  const output = result.kind === "injected" ? result.output.toString() : `// unchanged: ${result.reason}\n`;

  test("matches the expected output", async () => {
    await expect(output).toMatchFileSnapshot(path.join(fixtures, name, "output.js"));
  });

  if (result.kind !== "injected") return;

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
    const again = injectRevalidator(output, parseModule(output, id), "routes/chat");
    expect(again).toEqual({ kind: "unchanged", reason: "already-injected" });
  });

  test("returns a source map that points back into the input", () => {
    const map = result.output.generateMap({ hires: "boundary", source: id });
    expect(map.sources).toEqual([id]);
    expect(map.mappings.length).toBeGreaterThan(0);
  });
});
