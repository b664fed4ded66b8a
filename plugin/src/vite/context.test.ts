import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { LiveContext } from "./context.js";
import type { RouteEntry } from "./plan-stream-routes.js";

const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with `files` under app/, and a LiveContext pointed at it as the preset would. */
function project(files: Record<string, string>): { ctx: LiveContext; root: string; write(file: string, content: string): void } {
  const root = mkdtempSync(path.join(tmpdir(), "remix-live-context-"));
  projects.push(root);
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, "app", file)), { recursive: true });
    writeFileSync(path.join(root, "app", file), content);
  };
  for (const [file, content] of Object.entries(files)) write(file, content);
  const ctx = new LiveContext({ heartbeatInterval: undefined, maxStreams: undefined, outDir: ".remix-live" });
  ctx.rootDirectory = root;
  ctx.appDirectory = path.join(root, "app");
  return { ctx, root, write };
}

const ROUTES: Record<string, RouteEntry> = {
  root: { id: "root", file: "root.tsx", path: "" },
  "routes/chat": { id: "routes/chat", parentId: "root", file: "routes/chat.tsx", path: "chat" },
  "routes/feed": { id: "routes/feed", parentId: "root", file: "routes/feed.tsx", path: "feed" },
};
const liveRoute = (channel: string) => `export const live = ${JSON.stringify(channel)};\nexport default function Page() { return null; }\n`;

/** A modification time far in the past: a file that is written again gets the current time instead. */
const LONG_AGO = new Date("2001-01-01T00:00:00Z");
const age = (file: string) => utimesSync(file, LONG_AGO, LONG_AGO);
const untouched = (file: string) => statSync(file).mtimeMs === LONG_AGO.getTime();

test("a second scan leaves every generated file untouched when nothing changed, nor when a route's channels changed (its stream route reads them from its module)", () => {
  const { ctx, root, write } = project({
    "root.tsx": "export default function Root() { return null; }\n",
    "routes/chat.tsx": liveRoute("chat"),
    "routes/feed.tsx": liveRoute("feed"),
  });
  const fail = (error: unknown) => {
    throw error;
  };

  const generated = ctx.generateStreamRoutes(ROUTES, fail);
  expect(Object.keys(generated)).toEqual(expect.arrayContaining(["remix-live/routes/chat", "remix-live/routes/feed"]));
  const files = Object.values(generated).map((entry) => path.resolve(ctx.appDirectory, entry.file));
  const chat = path.join(root, ".remix-live/routes/chat.js");
  expect(files).toContain(chat);
  for (const file of files) age(file);
  const inodes = files.map((file) => statSync(file).ino);

  // Nothing changed: a dev server's rescan (or a second build) must not make Vite see changed files.
  ctx.generateStreamRoutes(ROUTES, fail);
  for (const file of files) expect(untouched(file), `${path.relative(root, file)} was written again though nothing changed`).toBe(true);
  expect(files.map((file) => statSync(file).ino)).toEqual(inodes);

  // One route's channel changed: its module changed, which Vite reloads; no generated file did.
  write("routes/chat.tsx", liveRoute("lobby"));
  ctx.generateStreamRoutes(ROUTES, fail);
  expect(readFileSync(chat, "utf8")).toContain(`import { live } from "../../app/routes/chat.tsx";`);
  for (const file of files) expect(untouched(file), `${path.relative(root, file)} was written again though it did not change`).toBe(true);
});

test("one file mounted at two URLs is known as both routes, and each gets its stream route", () => {
  const { ctx, root } = project({ "root.tsx": "export default function Root() { return null; }\n", "routes/rooms.tsx": liveRoute("room:$id") });
  const routes: Record<string, RouteEntry> = {
    root: ROUTES.root!,
    "routes/rooms": { id: "routes/rooms", parentId: "root", file: "routes/rooms.tsx", path: "rooms/:id" },
    lobby: { id: "lobby", parentId: "root", file: "routes/rooms.tsx", path: "lobby/:id" },
  };
  ctx.learnRoutes(routes);
  expect(ctx.routeIdsByFile.get(path.join(root, "app/routes/rooms.tsx"))).toEqual(["routes/rooms", "lobby"]);
  const generated = Object.values(ctx.generateStreamRoutes(routes, (error) => { throw error; }));
  expect(generated.map((entry) => entry.path).sort()).toEqual(["__remix-live/stream", "lobby/:id/stream", "rooms/:id/stream"]);
});

test("a route file outside the app directory gets its stream route inside the output folder, never next to the user's files", () => {
  const { ctx, root } = project({ "root.tsx": "export default function Root() { return null; }\n" });
  mkdirSync(path.join(root, "shared"));
  writeFileSync(path.join(root, "shared/outside.tsx"), liveRoute("outside"));
  const routes: Record<string, RouteEntry> = {
    root: ROUTES.root!,
    "../shared/outside": { id: "../shared/outside", parentId: "root", file: "../shared/outside.tsx", path: "outside" },
  };
  const generated = ctx.generateStreamRoutes(routes, (error) => { throw error; });
  for (const entry of Object.values(generated)) expect(path.resolve(root, "app", entry.file).startsWith(path.join(root, ".remix-live") + path.sep)).toBe(true);
  expect(readdirSync(path.join(root, "shared"))).toEqual(["outside.tsx"]);
});

test("a route whose id is `shared` gets a stream route of its own, apart from the shared stream's", () => {
  const { ctx, root } = project({ "root.tsx": "export default function Root() { return null; }\n", "pages/share.tsx": liveRoute("share") });
  const routes: Record<string, RouteEntry> = {
    root: ROUTES.root!,
    shared: { id: "shared", parentId: "root", file: "pages/share.tsx", path: "share/:id" },
  };
  const generated = Object.values(ctx.generateStreamRoutes(routes, (error) => { throw error; }));
  const files = generated.map((entry) => path.resolve(root, "app", entry.file));
  expect(new Set(files).size).toBe(2);
  for (const file of files) expect(readFileSync(file, "utf8")).toContain("Generated by remix-live");
});
