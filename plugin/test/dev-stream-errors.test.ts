import path from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, expect, test, vi } from "vitest";
import { createApp, removeApps } from "./build-app.js";

let server: ViteDevServer | undefined;
afterAll(async () => {
  await server?.close();
  removeApps();
});

const feed = `// A few lines, so that the compiled module's lines differ from these.
type Entry = { id: number; text: string };

export function loader() {
  return { entries: [] as Entry[] };
}

export const live = async ({ request }: { request: Request }) => {
  const user = request.headers.get("X-User") as string;
  return \`feed:\${user.toLowerCase()}\`;
};

export default function Feed() {
  return <p>feed</p>;
}
`;

test("in dev, the error of a live function that throws is logged with the line the user wrote", async () => {
  const dir = await createApp("dev-stream-errors", { "app/routes/feed.tsx": feed });
  server = await createServer({
    root: dir,
    configFile: path.join(dir, "vite.config.js"),
    logLevel: "silent",
    server: { port: 0, hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true },
  });
  await server.listen();
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const response = await fetch(new URL("/feed/stream", server.resolvedUrls!.local[0]));
  expect(response.status).toBe(500);
  const [message, error] = logged.mock.calls.find(([text]) => String(text).includes("the live function of"))!;
  expect(message).toContain("the live function of app/routes/feed.tsx threw");
  // `user.toLowerCase()` is on line 10 of the file.
  expect((error as Error).stack).toMatch(/app\/routes\/feed\.tsx:10:\d+/);
});
