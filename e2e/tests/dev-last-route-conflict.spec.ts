import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../instances";
import { PLAYGROUND } from "../servers";

// The test runs its own dev server, on a copy of the playground, so it can read what the server
// prints (the suite's shared dev server's output is not kept) and leaves the shared server's route
// table alone. The copy lives in a temporary folder (Vite does not watch files under
// test-results/, and a copy inside the repository would be typechecked), with a node_modules of
// links to the repository's packages, a Vite cache of its own, and the playground's Vite config
// plus leave to serve files from the repository, where those links lead.
const CONFIG = "vite.e2e.config.ts";

function copyPlayground(): string {
  const root = mkdtempSync(path.join(tmpdir(), "remix-live-conflict-"));
  cpSync(path.join(PLAYGROUND, "app"), path.join(root, "app"), { recursive: true, filter: (source) => !path.basename(source).startsWith("e2e-") });
  for (const file of ["vite.config.ts", "package.json"]) cpSync(path.join(PLAYGROUND, file), path.join(root, file));
  const packages = path.resolve(PLAYGROUND, "../node_modules");
  mkdirSync(path.join(root, "node_modules"));
  for (const name of readdirSync(packages)) {
    if (!name.startsWith(".")) symlinkSync(path.join(packages, name), path.join(root, "node_modules", name));
  }
  writeFileSync(
    path.join(root, CONFIG),
    [
      `import { mergeConfig } from "vite";`,
      `import config from "./vite.config.ts";`,
      `export default mergeConfig(config, { server: { fs: { allow: [${JSON.stringify(root)}, ${JSON.stringify(path.dirname(packages))}] } } });`,
      ``,
    ].join("\n"),
  );
  return root;
}

async function status(url: string): Promise<number> {
  const controller = new AbortController();
  try {
    const response = await fetch(url, { signal: controller.signal });
    const live = response.headers.get("content-type")?.startsWith("text/event-stream");
    controller.abort();
    // -1: a 200 that is not an event stream.
    return live || response.status !== 200 ? response.status : -1;
  } catch {
    return 0; // not listening yet
  }
}

test("a route added at a live route's stream URL while the dev server runs is reported naming both files, and the server keeps running", async () => {
  test.setTimeout(120_000);
  const root = copyPlayground();
  const routes = path.join(root, "app/routes");
  const port = await freePort();
  const server = spawn(path.resolve(PLAYGROUND, "../node_modules/.bin/remix"), ["vite:dev", "--config", CONFIG, "--port", String(port), "--strictPort"], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: path.join(root, "data/e2e.db") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const base = `http://localhost:${port}`;
  try {
    await expect.poll(() => status(`${base}/chat`), { timeout: 60_000 }).toBe(-1);

    writeFileSync(path.join(routes, "e2e-conflict.tsx"), [
      `export const live = "conflict";`,
      `export function loader() { return null; }`,
      `export default function Conflict() { return <h1>Live</h1>; }`,
      ``,
    ].join("\n"));
    await expect.poll(() => status(`${base}/e2e-conflict/stream`), { timeout: 20_000 }).toBe(200);
    expect(output).not.toContain("e2e-conflict.stream.tsx");

    // Remix rescans on the new file from a watcher callback: a conflict thrown there would end the
    // dev server. It is reported instead, naming both files, and the server keeps answering.
    writeFileSync(path.join(routes, "e2e-conflict.stream.tsx"), `export function loader() { return new Response("mine"); }\n`);
    await expect
      .poll(() => output.split("\n").filter((line) => line.includes("routes/e2e-conflict.tsx") && line.includes("routes/e2e-conflict.stream.tsx")), {
        timeout: 20_000,
      })
      .toContainEqual(expect.stringContaining("/e2e-conflict/stream"));
    expect(server.exitCode).toBeNull();
    expect(await status(`${base}/e2e-conflict`)).toBe(-1);
    expect(await status(`${base}/chat`)).toBe(-1);
  } finally {
    server.kill("SIGTERM");
    await exited;
    // Vite may still be writing its dependency cache as the server exits: retry on ENOTEMPTY.
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
