import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";

const PLUGIN = path.resolve(import.meta.dirname, "..");
const SRC = path.join(PLUGIN, "src");

interface ImportRef {
  specifier: string;
  /** `import type` / `export type`, or braces holding only `type` specifiers. */
  typeOnly: boolean;
}

/** Drops comments so examples written in doc comments are not taken for imports. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/**
 * Imports of a module: `import ... from "x"`, `import "x"`, `export ... from "x"` (each at the
 * start of a statement) and `import("x")`.
 */
function readImports(source: string): ImportRef[] {
  const code = stripComments(source);
  const found: ImportRef[] = [];
  const statement = /^[ \t]*(?:import|export)\s+(type\s+)?([\w$*\s{},]*?)\s*from\s*(["'])([^"']+)\3/gm;
  for (const match of code.matchAll(statement)) {
    const clause = match[2] ?? "";
    const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const names = braces ? (braces[1] ?? "").split(",").map((name) => name.trim()).filter(Boolean) : [];
    const allTypes = names.length > 0 && names.every((name) => name.startsWith("type "));
    found.push({ specifier: match[4]!, typeOnly: Boolean(match[1]) || allTypes });
  }
  for (const match of code.matchAll(/^[ \t]*import\s*(["'])([^"']+)\1/gm)) {
    found.push({ specifier: match[2]!, typeOnly: false });
  }
  for (const match of code.matchAll(/\bimport\s*\(\s*(["'])([^"']+)\1\s*\)/g)) {
    found.push({ specifier: match[2]!, typeOnly: false });
  }
  return found;
}

/** Every non-test `.ts` file under `dir`, recursively, as absolute paths. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "fixtures") files.push(...sourceFiles(full));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      files.push(full);
    }
  }
  return files.sort();
}

const display = (file: string) => path.relative(PLUGIN, file).split(path.sep).join("/");
const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");
const resolvesInto = (file: string, specifier: string, dir: string) => {
  if (!isRelative(specifier)) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target === dir || target.startsWith(dir + path.sep);
};
const isPackage = (specifier: string, name: string) => specifier === name || specifier.startsWith(`${name}/`);

/** `file imports "x"` for each import of each file that `rule` rejects. */
function violations(dir: string, rule: (file: string, ref: ImportRef) => boolean): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(dir)) {
    for (const ref of readImports(readFileSync(file, "utf8"))) {
      if (rule(file, ref)) found.push(`${display(file)} imports "${ref.specifier}"${ref.typeOnly ? " (type-only)" : ""}`);
    }
  }
  return found;
}

const NODE_BUILTINS = ["fs", "path", "http", "events", "crypto", "os", "stream", "url", "util", "child_process"];

describe("the import reader", () => {
  test("finds static, re-export, side-effect and dynamic imports, and marks type-only ones", () => {
    const code = [
      `import a from "a";`,
      `import { b, type B } from 'b';`,
      `import type { C } from "c";`,
      `import { type D1, type D2 } from "d";`,
      `import * as e from "e";`,
      `import "f";`,
      `export { g } from "g";`,
      `export * from "h";`,
      `export {`,
      `  i,`,
      `  type I,`,
      `} from "./i.js";`,
      `const j = await import("j");`,
      `/** import { nope } from "in-a-comment"; */`,
      `// import { nope } from "in-a-line-comment";`,
      "const text = `import { nope } from \"in-a-template\"`;",
      `export function k() { return "from"; }`,
    ].join("\n");

    expect(readImports(code)).toEqual([
      { specifier: "a", typeOnly: false },
      { specifier: "b", typeOnly: false },
      { specifier: "c", typeOnly: true },
      { specifier: "d", typeOnly: true },
      { specifier: "e", typeOnly: false },
      { specifier: "g", typeOnly: false },
      { specifier: "h", typeOnly: false },
      { specifier: "./i.js", typeOnly: false },
      { specifier: "f", typeOnly: false },
      { specifier: "j", typeOnly: false },
    ]);
  });

  test("sees the imports of the real sources", () => {
    const server = readImports(readFileSync(path.join(SRC, "server/event-stream.ts"), "utf8"));
    expect(server.map((ref) => ref.specifier)).toContain("../shared/channel-name.js");
    const react = readImports(readFileSync(path.join(SRC, "react/router.ts"), "utf8"));
    expect(react.map((ref) => ref.specifier)).toContain("@remix-run/react");
  });
});

describe("layering", () => {
  test("every layer has source files to check", () => {
    for (const dir of ["server", "react", "routes", "serve", "shared", "vite/transforms", "vite/codegen"]) {
      expect(sourceFiles(path.join(SRC, dir)), dir).not.toEqual([]);
    }
  });

  test("server/ does not depend on React, Vite or the other layers", () => {
    const forbidden = ["react", "react-dom", "@remix-run/react", "vite"];
    const found = violations(path.join(SRC, "server"), (file, { specifier }) =>
      forbidden.some((name) => isPackage(specifier, name)) ||
      resolvesInto(file, specifier, path.join(SRC, "vite")) ||
      resolvesInto(file, specifier, path.join(SRC, "react")),
    );
    expect(found).toEqual([]);
  });

  test("react/ names its router package in one file only (the React Router build swaps that file)", () => {
    const found = violations(path.join(SRC, "react"), (file, { specifier }) => isPackage(specifier, "@remix-run/react") || isPackage(specifier, "react-router"));
    expect(found).toEqual([`src/react/router.ts imports "@remix-run/react"`]);
  });

  test("routes/ (evaluated in app/routes.ts, outside Vite's pipeline) uses no Vite, React or router package", () => {
    const forbidden = ["vite", "react", "@remix-run/react", "@remix-run/dev", "react-router", "@react-router/dev"];
    const found = violations(path.join(SRC, "routes"), (file, { specifier }) => forbidden.some((name) => isPackage(specifier, name)) || resolvesInto(file, specifier, path.join(SRC, "react")));
    expect(found).toEqual([]);
  });

  test("serve/ (the remix-live-serve command) uses the server layer, never React or Vite", () => {
    const forbidden = ["react", "@remix-run/react", "react-router", "vite"];
    const found = violations(path.join(SRC, "serve"), (file, { specifier }) =>
      forbidden.some((name) => isPackage(specifier, name)) || resolvesInto(file, specifier, path.join(SRC, "vite")) || resolvesInto(file, specifier, path.join(SRC, "react")),
    );
    expect(found).toEqual([]);
  });

  test("react/ does not depend on Node or the server and Vite layers", () => {
    const found = violations(path.join(SRC, "react"), (file, { specifier, typeOnly }) => {
      if (resolvesInto(file, specifier, path.join(SRC, "server")) || resolvesInto(file, specifier, path.join(SRC, "vite"))) {
        return true;
      }
      if (typeOnly) return false;
      return specifier.startsWith("node:") || NODE_BUILTINS.some((name) => isPackage(specifier, name));
    });
    expect(found).toEqual([]);
  });

  const pureRule = (_file: string, { specifier }: ImportRef) =>
    isPackage(specifier, "vite") || isPackage(specifier, "rollup") || specifier.startsWith("node:");

  test("the purity check flags what it should: the plugin entry, which may use Vite and Node", () => {
    const found = violations(path.join(SRC, "vite"), pureRule);
    expect(found).toContain(`src/vite/index.ts imports "node:path"`);
    expect(found).toContain(`src/vite/index.ts imports "vite" (type-only)`);
  });

  test("vite/transforms/ and vite/codegen/ stay pure: no Vite, Rollup or Node", () => {
    const rule = pureRule;
    const found = [
      ...violations(path.join(SRC, "vite/transforms"), rule),
      ...violations(path.join(SRC, "vite/codegen"), rule),
    ];
    expect(found).toEqual([]);
  });

  test("shared/ imports only its own relative files", () => {
    const shared = path.join(SRC, "shared");
    const found = violations(shared, (file, { specifier }) => !isRelative(specifier) || !resolvesInto(file, specifier, shared));
    expect(found).toEqual([]);
  });
});

describe("plugin/package.json", () => {
  const pkg = JSON.parse(readFileSync(path.join(PLUGIN, "package.json"), "utf8")) as {
    type?: string;
    exports?: Record<string, unknown>;
  };

  test("is an ES module package", () => {
    expect(pkg.type).toBe("module");
  });

  test("exports exactly ./vite, ./server, ./react, ./react-router, ./routes and ./package.json, with no root entry", () => {
    expect(Object.keys(pkg.exports ?? {}).sort()).toEqual(["./package.json", "./react", "./react-router", "./routes", "./server", "./vite"]);
    expect(Object.hasOwn(pkg.exports ?? {}, "."), 'exports["."] must not exist').toBe(false);
  });

  test.each(["./vite", "./server", "./react", "./react-router", "./routes"])("%s has types and default inside ./dist/", (entry) => {
    const target = pkg.exports?.[entry] as Record<string, unknown> | undefined;
    expect(target, `exports["${entry}"]`).toBeTypeOf("object");
    expect(Object.keys(target ?? {}), `keys of exports["${entry}"]`).toEqual(expect.arrayContaining(["types", "default"]));
    expect(target?.types, `exports["${entry}"].types`).toMatch(/^\.\/dist\/.+\.d\.ts$/);
    expect(target?.default, `exports["${entry}"].default`).toMatch(/^\.\/dist\/.+\.js$/);
  });
});
