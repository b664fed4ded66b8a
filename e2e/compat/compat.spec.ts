import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { messagesFile, startCellServer, type CellServer } from "./cell-server";
import { CELLS, cellDir, futureFlags, nodeBinary } from "./cells";
import { openChat, postFrom, streamHead } from "./checks";

for (const cell of CELLS) {
  test.describe(cell.name, () => {
    test.describe.configure({ mode: "serial" });
    let server: CellServer;

    test.beforeAll(async () => {
      server = await startCellServer(cell, { messages: messagesFile(cell, "matrix") });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    test("runs the versions and flags it names", () => {
      const dir = cellDir(cell);
      const version = (pkg: string) => (JSON.parse(readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
      expect(version("@remix-run/dev")).toMatch(new RegExp(`^${cell.deps.split("-")[1]!.replace(".", "\\.")}\\.`));
      expect(version("vite")).toMatch(new RegExp(`^${cell.deps.split("-")[3]}\\.`));
      expect(execFileSync(nodeBinary(cell.node), ["--version"], { encoding: "utf8" })).toMatch(new RegExp(`^v${cell.node}\\.`));
      expect(readFileSync(path.join(dir, "vite.config.ts"), "utf8")).toContain(JSON.stringify(futureFlags(cell)));
    });

    if (cell.server !== "dev") {
      test("builds without a warning caused by remix-live", () => {
        const log = readFileSync(path.join(cellDir(cell), "build.log"), "utf8");
        expect(log).not.toMatch(/remix-live|\.remix-live|is not exported by|empty chunk/);
      });
    }

    test("no page answers with a server error", async ({ request }) => {
      for (const page of ["/", "/chat", "/live-stats"]) expect((await request.get(`${server.url}${page}`)).status(), page).toBe(200);
      // The private page refuses strangers with its loader's own 403.
      expect((await request.get(`${server.url}/private`)).status()).toBe(403);
    });

    test("a message posted in one tab shows in another", async ({ browser }) => {
      const context = await browser.newContext();
      const [reader, writer] = [await context.newPage(), await context.newPage()];
      await openChat(reader, server.url);
      await openChat(writer, server.url);
      const text = `hello from ${cell.name} ${Date.now()}`;
      await postFrom(writer, text);
      await expect(reader.getByRole("list", { name: "Messages" })).toContainText(text);
      await context.close();
      // Vite knew remix-live/react from the start: no page was reloaded to re-optimize dependencies.
      expect(server.output()).not.toContain("optimized dependencies changed");
    });

    test("the stream answers GET with event-stream headers, HEAD without a subscription, other methods with 405", async ({ request }) => {
      const head = await streamHead(`${server.url}/chat/stream`);
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      expect(head.headers.get("cache-control")).toBe("no-cache, no-transform");
      expect(head.headers.get("x-accel-buffering")).toBe("no");

      const logged = server.output().length;
      const streams = async () => ((await (await request.get(`${server.url}/live-stats`)).json()) as { streams: number }).streams;
      await expect.poll(streams).toBe(0);
      for (let i = 0; i < 20; i++) expect((await request.head(`${server.url}/chat/stream`)).status()).toBe(200);
      const posted = await request.post(`${server.url}/chat/stream`, { form: { message: "x" } });
      expect(posted.status()).toBe(405);
      expect(posted.headers()["allow"]).toBe("GET, HEAD");
      expect(await streams()).toBe(0);
      // Refused quietly: no stack trace in the server's log.
      expect(server.output().slice(logged)).not.toMatch(/did not provide an action|Error/);
    });

    test("a live function's 403 refuses a stream, and lets a member in", async () => {
      expect((await streamHead(`${server.url}/private/stream`)).status).toBe(403);
      const member = await streamHead(`${server.url}/private/stream`, { Cookie: "member=yes" });
      expect(member.status).toBe(200);
      expect(member.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    });
  });
}
