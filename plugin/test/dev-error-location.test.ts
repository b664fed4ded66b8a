import { writeFileSync } from "node:fs";
import path from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, expect, test } from "vitest";
import { createApp, removeApps } from "./build-app.js";

let server: ViteDevServer | undefined;
afterAll(async () => {
  await server?.close();
  removeApps();
});

const chat = (live: string) => `import { useLoaderData } from "@remix-run/react";

// A few lines, so that the compiled module's lines differ from these.
type Message = { id: number; text: string };

export function loader() {
  return { messages: [] as Message[] };
}

export const live = ${live};

export default function Chat() {
  const { messages } = useLoaderData<typeof loader>();
  return <ul>{messages.map((message) => <li key={message.id}>{message.text}</li>)}</ul>;
}
`;

test("a bad live value edited in while the dev server runs is reported at the value, and the overlay's link agrees with the message", async () => {
  const dir = await createApp("dev-error-location", { "app/routes/chat.tsx": chat(`"chat"`) });
  server = await createServer({
    root: dir,
    configFile: path.join(dir, "vite.config.js"),
    logLevel: "silent",
    server: { middlewareMode: true, hmr: false, watch: null },
    // Closing Vite while its dependency scan is still running never finishes.
    optimizeDeps: { noDiscovery: true },
  });
  const file = path.join(dir, "app/routes/chat.tsx");
  await server.transformRequest("/app/routes/chat.tsx");

  writeFileSync(file, chat(`"chat room"`));
  server.moduleGraph.invalidateAll();
  const error = (await server.transformRequest("/app/routes/chat.tsx").catch((caught: unknown) => caught)) as {
    message: string;
    loc: { file: string; line: number; column: number };
    frame: string;
  };

  // `export const live = "chat room";` is line 10; the value starts at column 21 (1-based).
  expect(error.message).toContain("app/routes/chat.tsx:10:21:");
  expect(error.loc).toEqual({ file, line: 10, column: 21 });
  expect(error.frame).toContain(`10 | export const live = "chat room";`);
  expect(error.frame.split("\n").find((line) => line.trim().endsWith("^"))).toBe(`   |                     ^`);
});
