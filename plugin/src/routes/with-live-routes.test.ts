import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { remixLive } from "../vite/index.js";
import { withLiveRoutes } from "./with-live-routes.js";

let root: string;
const globals = globalThis as { __reactRouterAppDirectory?: string };
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "remix-live-routes-"));
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  write("app/root.tsx", "export default function App() { return null; }\n");
  write("app/routes.ts", "export default [];\n");
  write("app/routes/chat.tsx", 'export const live = "chat";\nexport default function Chat() { return null; }\n');
  write("app/routes/rooms.tsx", 'export const live = "rooms";\nexport default function Rooms() { return null; }\n');
  write("app/routes/rooms.$roomId.tsx", 'export const live = "room:$roomId";\nexport default function Room() { return null; }\n');
  write("app/routes/about.tsx", "export default function About() { return null; }\n");
  // What React Router does before it evaluates app/routes.ts.
  globals.__reactRouterAppDirectory = path.join(root, "app");
});
afterEach(() => {
  delete globals.__reactRouterAppDirectory;
  rmSync(root, { recursive: true, force: true });
});

/** remixLive() as the Vite config creates it, with its config hook run for this project. */
async function plugin(): Promise<void> {
  const [config] = remixLive({ heartbeatInterval: 5000 });
  await (config!.config as (config: object) => Promise<unknown>)({ root, plugins: [{ name: "react-router" }] });
}

const ROUTES = [
  { file: "routes/chat.tsx", path: "chat" },
  { file: "routes/about.tsx", path: "about" },
  { id: "rooms-layout", file: "routes/rooms.tsx", path: "rooms", children: [{ file: "routes/rooms.$roomId.tsx", path: ":roomId" }] },
];

test("adds a stream route under each live route's full URL and the shared stream, as files relative to the app directory, and keeps the app's routes as they were", async () => {
  await plugin();
  const routes = await withLiveRoutes(Promise.resolve(ROUTES));
  expect(routes.slice(0, 3)).toEqual(ROUTES);
  expect(routes.slice(3)).toEqual([
    { id: "remix-live/routes/chat", path: "chat/stream", file: "../.remix-live/routes/chat.js" },
    { id: "remix-live/rooms-layout", path: "rooms/stream", file: "../.remix-live/rooms-layout.js" },
    { id: "remix-live/routes/rooms.$roomId", path: "rooms/:roomId/stream", file: "../.remix-live/routes/rooms.$roomId.js" },
    { id: "remix-live", path: "__remix-live/stream", file: "../.remix-live/__shared-stream.js" },
  ]);
  // The generated files carry the plugin's options.
  expect(readFileSync(path.join(root, ".remix-live/routes/rooms.$roomId.js"), "utf8")).toContain('import { live } from "../../app/routes/rooms.$roomId.tsx";');
  expect(readFileSync(path.join(root, ".remix-live/__shared-stream.js"), "utf8")).toContain("heartbeatInterval: 5000");
});

test("route ids are the ones the router makes: React Router normalizes the file as written, Remix does not, an absolute file gives an absolute id", async () => {
  await plugin();
  const chat = path.join(root, "app/routes/chat.tsx");
  const ids = async () => (await withLiveRoutes([{ file: "./routes/chat.tsx", path: "chat" }, { file: chat, path: "talk" }])).slice(2).map((route) => (route as { id?: string }).id);
  expect(await ids()).toEqual(["remix-live/routes/chat", `remix-live/${chat.replace(/\.tsx$/, "")}`, "remix-live"]);
  delete globals.__reactRouterAppDirectory;
  (globalThis as { __remixAppDirectory?: string }).__remixAppDirectory = path.join(root, "app");
  try {
    expect((await ids())[0]).toBe("remix-live/./routes/chat");
  } finally {
    delete (globalThis as { __remixAppDirectory?: string }).__remixAppDirectory;
  }
});

test("a bad live value fails with the file, the line and what is accepted", async () => {
  writeFileSync(path.join(root, "app/routes/about.tsx"), "export const live = 42;\nexport default function About() { return null; }\n");
  await plugin();
  await expect(withLiveRoutes(ROUTES)).rejects.toThrow(/app\/routes\/about\.tsx:1:.*must be a channel name/);
});

test("without remixLive() in the Vite config it says what is missing", async () => {
  // A project no plugin instance has seen.
  globals.__reactRouterAppDirectory = path.join(root, "elsewhere", "app");
  await expect(withLiveRoutes([])).rejects.toThrow(/remixLive\(\) Vite plugin is not in this app's Vite config.*plugins: \[remixLive\(\), reactRouter\(\)\]/);
});

test("outside app/routes.ts (no router has set an app directory) it says where it belongs", async () => {
  delete globals.__reactRouterAppDirectory;
  await expect(withLiveRoutes([])).rejects.toThrow(/must be called in app\/routes\.ts/);
});
