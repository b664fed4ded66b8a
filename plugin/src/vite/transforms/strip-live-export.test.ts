import { readdirSync } from "node:fs";
import path from "node:path";
import MagicString from "magic-string";
import { describe, expect, test } from "vitest";
import { parseModule } from "../parse-module.js";
import { compileLikeVite } from "../../../test/compile-like-vite.js";
import { exportsOf } from "../../../test/module-exports.js";
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
    expect(exportsOf(output)).not.toContain("live");
    expect(exportsOf(output)).toEqual(exportsOf(input).filter((exported) => exported !== "live"));
    expect(output).toContain("export default function");
  });

  // Where the page's own code uses `live`, it keeps the declaration (see the tests below).
  if (!name.startsWith("live-used") && name !== "live-function-used-by-loader") {
    test("keeps no `live` and nothing that only the live export used", () => {
      expect(output).not.toMatch(/\blive\b/);
      expect(output).not.toContain("requireUser");
      expect(output).not.toContain("auth.server");
    });
  }

  test("is idempotent: a second run changes nothing", () => {
    expect(strip(output)).toBeNull();
  });
});

describe("a `live` the module's own code uses", () => {
  const output = (name: string) => strip(compileLikeVite(path.join(fixtures, name, "input.tsx")))!;

  test("a channel the page shows or puts in `handle` stays as a constant the browser's copy declares", () => {
    expect(output("live-used-by-page")).toMatch(/^const live = "chat";$/m);
    // Kept apart from a declaration that exports other names, with the constant it refers to.
    expect(output("live-used-several-declarators")).toMatch(/^const FEED = "feed";\nconst live = FEED;$/m);
    expect(output("live-used-several-declarators")).toMatch(/^export const handle = \{ title: "Feed" \};$/m);
  });

  test("a live function a loader calls stays, unexported, for Remix to remove with the loader", () => {
    expect(output("live-function-used-by-loader")).toMatch(/^async function live\(/m);
    expect(output("live-function-used-by-loader")).toContain("await live(args)");
  });

  test("a variable of the page's own named `live`, or a property, does not keep the live function", () => {
    // esbuild renames a local that shadows a top-level name; a plain `.js` route reaches the transform as written.
    const code = strip(
      [
        'import { requireUser } from "~/auth.server";',
        "export const live = async ({ request }) => (await requireUser(request), \"chat\");",
        'const labels = { live: "Live" };',
        "export default function Chat(props) {",
        "  const live = useLiveStatus();",
        "  return [live, labels.live, props.live, ((live) => live)(1)];",
        "}",
      ].join("\n"),
    )!;
    expect(code).not.toContain("requireUser");
    expect(code).toContain("const live = useLiveStatus()");
    expect(code).toContain('const labels = { live: "Live" };');
  });
});
