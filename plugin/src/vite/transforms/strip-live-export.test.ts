import { readdirSync } from "node:fs";
import path from "node:path";
import MagicString from "magic-string";
import { describe, expect, test } from "vitest";
import { parseModule } from "../parse-module.js";
import { compileLikeVite } from "../../../test/compile-like-vite.js";
import { stripLiveExport } from "./strip-live-export.js";

const fixtures = path.join(import.meta.dirname, "fixtures/strip-live-export");

function strip(code: string): string | null {
  const s = new MagicString(code);
  return stripLiveExport(s, parseModule(code, "/app/routes/x.tsx")) ? s.toString() : null;
}

describe.each(readdirSync(fixtures).sort())("%s", (name) => {
  const input = compileLikeVite(path.join(fixtures, name, "input.tsx"));
  const output = strip(input);

  test("matches the expected output", async () => {
    await expect(output ?? "// unchanged: no live export\n").toMatchFileSnapshot(path.join(fixtures, name, "output.js"));
  });

  if (output === null) return;

  test("parses, exports no `live`, and keeps every other export", () => {
    const ast = parseModule(output, "/app/routes/x.tsx");
    expect(ast.program.body.length).toBeGreaterThan(0);
    expect(output).not.toMatch(/\blive\b/);
    expect(output).toContain("export default function");
  });

  test("leaves nothing that only the live export used", () => {
    expect(output).not.toContain("requireUser");
    expect(output).not.toContain("auth.server");
  });

  test("is idempotent: a second run changes nothing", () => {
    expect(strip(output)).toBeNull();
  });
});
