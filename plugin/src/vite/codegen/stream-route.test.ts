import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { parseModule } from "../parse-module.js";
import { GENERATED_HEADER, renderStreamRoute, type StreamRouteSource } from "./stream-route.js";

const SOURCE: StreamRouteSource = {
  liveRouteFile: "app/routes/chat.tsx",
  liveRouteImport: "../../app/routes/chat.tsx",
  heartbeatInterval: 15000,
};

/** Names exported by a module and the sources it imports from, read from its AST. */
function shape(code: string): { exports: string[]; imports: string[] } {
  const ast = parseModule(code, "x.js");
  const exports: string[] = [];
  const imports: string[] = [];
  for (const statement of ast.program.body) {
    if (statement.type === "ImportDeclaration") imports.push(statement.source.value);
    if (statement.type === "ExportDefaultDeclaration") exports.push("default");
    if (statement.type === "ExportAllDeclaration") exports.push("*");
    if (statement.type === "ExportNamedDeclaration") {
      const declaration = statement.declaration;
      if (declaration?.type === "FunctionDeclaration" || declaration?.type === "ClassDeclaration") {
        if (declaration.id) exports.push(declaration.id.name);
      } else if (declaration?.type === "VariableDeclaration") {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type === "Identifier") exports.push(declarator.id.name);
        }
      }
      for (const specifier of statement.specifiers) {
        const exported = specifier.exported;
        exports.push(exported.type === "Identifier" ? exported.name : exported.value);
      }
    }
  }
  return { exports, imports };
}

describe("renderStreamRoute", () => {
  test("starts with the generated-file header naming the live route", () => {
    const code = renderStreamRoute(SOURCE);

    expect(code.startsWith(GENERATED_HEADER)).toBe(true);
    expect(code.split("\n")[0]).toContain("app/routes/chat.tsx");
  });

  test("is an ES module exporting a loader and an action that refuses writes, built on remix-live/server", () => {
    const { exports, imports } = shape(renderStreamRoute(SOURCE));

    expect(exports).toEqual(["remixLiveStream", "loader", "action"]);
    // `live` comes from the live route's server module, whatever its form: editing its channels changes that module only.
    expect(imports).toEqual(["remix-live/server", "../../app/routes/chat.tsx"]);
  });

  test("passes `live` and the heartbeat interval on", () => {
    const code = renderStreamRoute({ ...SOURCE, heartbeatInterval: 2500 });

    expect(code).toContain("remixLiveStream = { live, options: {");
    expect(code).toMatch(/heartbeatInterval:\s*2500\b/);
  });

  test("in a React Router app, imports the modules of the routes from below the root to the live route, for their middleware", () => {
    const code = renderStreamRoute({ ...SOURCE, middlewareImports: ["../../app/routes/_members.tsx", "../../app/routes/chat.tsx"] });

    expect(shape(code).imports).toEqual(["remix-live/server", "../../app/routes/chat.tsx", "react-router", "../../app/routes/_members.tsx", "../../app/routes/chat.tsx"]);
    expect(code).toContain("middleware: () => [route0, route1].flatMap((route) => route.middleware ?? [])");
    expect(code).toContain("contextProvider: reactRouter.RouterContextProvider");
  });

  test("a stream cap is passed on when configured, and left to the server's default otherwise", () => {
    expect(renderStreamRoute({ ...SOURCE, maxStreams: 1234 })).toMatch(/maxStreams:\s*1234\b/);
    expect(renderStreamRoute(SOURCE)).not.toContain("maxStreams");
  });

  test("a heartbeat of 0 is written as 0, not dropped", () => {
    expect(renderStreamRoute({ ...SOURCE, heartbeatInterval: 0 })).toMatch(/heartbeatInterval:\s*0\b/);
  });

  test("the same input renders the same text", () => {
    expect(renderStreamRoute({ ...SOURCE })).toBe(renderStreamRoute({ ...SOURCE }));
  });
});

describe("the generated loader, run", () => {
  const testDir = path.resolve(import.meta.dirname, "../../../test");
  const tmpRoot = path.join(testDir, ".tmp");
  const serverEntry = path.resolve(import.meta.dirname, "../../server/index.ts");
  let workDir: string | undefined;

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    try {
      if (readdirSync(tmpRoot).length === 0) rmdirSync(tmpRoot);
    } catch {
      // Already gone.
    }
  });

  test("answers with an open text/event-stream response", async () => {
    mkdirSync(tmpRoot, { recursive: true });
    workDir = mkdtempSync(path.join(tmpRoot, "stream-route-"));
    const file = path.join(workDir, "chat.stream.ts");
    // The package import cannot resolve to the sources from here, so point it at them directly.
    const relative = path.relative(workDir, serverEntry).split(path.sep).join("/");
    writeFileSync(path.join(workDir, "chat.ts"), `export const live = "chat";\n`);
    const code = renderStreamRoute({ ...SOURCE, liveRouteImport: "./chat.ts", heartbeatInterval: 0 });
    expect(code).toContain(`"remix-live/server"`);
    writeFileSync(file, code.replace(`"remix-live/server"`, JSON.stringify(relative)));

    const route = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      loader: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>;
    };
    const controller = new AbortController();
    const request = new Request("http://x/chat/stream", { signal: controller.signal });
    const response = await route.loader({ request, params: {}, context: {} });

    try {
      expect(response).toBeInstanceOf(Response);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    } finally {
      controller.abort();
    }
    // Once the client goes away the stream ends instead of staying open.
    const reader = response.body!.getReader();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
