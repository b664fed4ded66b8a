import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { messagesFile, reactRouterBin, startCellServer, type CellServer } from "./cell-server";
import { CELLS, cellDir, futureFlags, isReactRouter, nodeBinary } from "./cells";
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
      const [, framework, frameworkVersion, viteVersion] = /^(remix|react-router)-([\d.]+)-vite-(\d+)$/.exec(cell.deps)!;
      expect(version(framework === "remix" ? "@remix-run/dev" : "@react-router/dev")).toMatch(new RegExp(`^${frameworkVersion!.replace(".", "\\.")}\\.`));
      expect(version("vite")).toMatch(new RegExp(`^${viteVersion}\\.`));
      expect(execFileSync(nodeBinary(cell.node), ["--version"], { encoding: "utf8" })).toMatch(new RegExp(`^v${cell.node}\\.`));
      // React Router cells run its defaults (8.x has no flags left to set).
      if (!isReactRouter(cell)) expect(readFileSync(path.join(dir, "vite.config.ts"), "utf8")).toContain(JSON.stringify(futureFlags(cell)));
    });

    if (cell.server !== "dev") {
      test("builds without a warning caused by remix-live", () => {
        const log = readFileSync(path.join(cellDir(cell), "build.log"), "utf8");
        expect(log).not.toMatch(/remix-live|\.remix-live|is not exported by|empty chunk/);
      });
    }

    if (cell.server !== "dev") {
      test("the browser build holds no live function nor what only it uses", () => {
        const assets = path.join(cellDir(cell), "build/client/assets");
        const code = readdirSync(assets).filter((file) => file.endsWith(".js")).map((file) => readFileSync(path.join(assets, file), "utf8"));
        expect(code.length).toBeGreaterThan(0);
        // The private route's live function (and its loader) test the cookie with this pattern.
        for (const source of code) expect(source).not.toContain("member=yes");
      });
    }

    if (cell.server === "remix-live-serve") {
      test("serves as the command it replaces: its start line, request log, immutable assets, compressed pages and uncompressed streams", async () => {
        expect(server.output()).toMatch(/\[remix-live-serve\] http:\/\/localhost:\d+/);
        const page = await fetch(`${server.url}/chat`, { headers: { "Accept-Encoding": "gzip" } });
        expect(page.headers.get("content-encoding")).toBe("gzip");
        const asset = /\/assets\/[^"]+\.js/.exec(await page.text())![0];
        expect((await fetch(`${server.url}${asset}`)).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
        const stream = await streamHead(`${server.url}/chat/stream`, { "Accept-Encoding": "gzip" });
        expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
        expect(stream.headers.get("content-encoding")).toBeNull();
        await expect.poll(() => server.output()).toMatch(/GET \/chat 200/);
      });
    }

    if (isReactRouter(cell) && cell.server === "remix-serve") {
      test("react-router typegen types the live routes, and tsc passes", () => {
        const dir = cellDir(cell);
        const run = (args: string[]) => execFileSync(nodeBinary(cell.node), args, { cwd: dir, encoding: "utf8", stdio: "pipe" });
        run([reactRouterBin(cell, "dev"), "typegen"]);
        expect(readFileSync(path.join(dir, ".react-router/types/app/routes/+types/chat.ts"), "utf8")).toContain("loader");
        run(["node_modules/typescript/bin/tsc", "-p", "."]);
      });
    }

    test("no page answers with a server error", async ({ request }) => {
      for (const page of ["/", "/chat", "/rooms/1", "/live-stats"]) expect((await request.get(`${server.url}${page}`)).status(), page).toBe(200);
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

    test("nested live routes: an event re-runs the loader of the route that follows its channel, and no other", async ({ browser, request }) => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${server.url}/rooms/7`);
      await expect(page.getByRole("heading", { name: "Room 7" })).toBeVisible();
      const stats = async () => ((await (await request.get(`${server.url}/live-stats`)).json()) as { channels: Record<string, number> }).channels;
      await expect.poll(async () => (await stats())["room:7"]).toBe(1);
      const runs = async () => (await (await request.get(`${server.url}/loader-runs`)).json()) as Record<string, number>;
      const before = await runs();
      const emit = (channel: string) => request.post(`${server.url}/emit`, { form: { channel } });

      await emit("room:7");
      await expect.poll(async () => (await runs()).room).toBe(before.room! + 1);
      await emit("rooms");
      await expect.poll(async () => (await runs()).rooms).toBe(before.rooms! + 1);
      // Had the room's event re-run the layout too (or the layout's the room), a count would be one higher by now.
      expect(await runs()).toEqual({ rooms: before.rooms! + 1, room: before.room! + 1 });
      await page.context().close();
    });

    if (isReactRouter(cell)) {
      test("a live route with a clientLoader (split into route chunks on React Router 8) follows its stream and re-runs its loaders on an event", async ({ browser, request }) => {
        const page = await (await browser.newContext()).newPage();
        await page.goto(`${server.url}/split`);
        await expect(page.getByRole("heading", { name: "Split loaded" })).toBeVisible();
        const followers = async () => ((await (await request.get(`${server.url}/live-stats`)).json()) as { channels: Record<string, number> }).channels.split;
        await expect.poll(followers).toBe(1);
        const loadedAt = page.getByLabel("Loaded at");
        const before = await loadedAt.textContent();
        await request.post(`${server.url}/emit`, { form: { channel: "split" } });
        await expect(loadedAt).not.toHaveText(before!);
        await page.context().close();
      });
    }

    test("a live function's 403 refuses a stream, and lets a member in", async () => {
      expect((await streamHead(`${server.url}/private/stream`)).status).toBe(403);
      const member = await streamHead(`${server.url}/private/stream`, { Cookie: "member=yes" });
      expect(member.status).toBe(200);
      expect(member.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    });

    if (cell.server === "dev") {
      // Last: it edits the app.
      test("adding live to a route while the dev server runs gives it a stream, without a restart", async () => {
        expect((await streamHead(`${server.url}/later/stream`)).status).toBe(404);
        const file = path.join(cellDir(cell), "app/routes/later.tsx");
        writeFileSync(file, `${readFileSync(file, "utf8")}\nexport const live = "later";\n`);
        await expect.poll(async () => (await streamHead(`${server.url}/later/stream`)).status, { timeout: 15_000 }).toBe(200);
      });
    }
  });
}
