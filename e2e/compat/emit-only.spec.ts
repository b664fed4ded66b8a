import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { messagesFile, startCellServer } from "./cell-server";
import { CELLS, cellDir, nodeBinary, SCALE_OUT_CELL } from "./cells";
import { liveStats, openChat } from "./checks";

const exec = promisify(execFile);

// A process that only emits (a job, a worker, a script) has served no stream and connects to the
// broker only when it loads remix-live: its very first emit must still reach other processes.
const BROKERS = {
  redis: "redis://127.0.0.1:6379",
  postgres: "postgres://postgres@127.0.0.1:5432/test",
};

// remix-serve, react-router-serve with React Router 8, and remix-live-serve.
const SERVE_CELLS = [
  SCALE_OUT_CELL,
  CELLS.find((cell) => cell.deps === "react-router-8-vite-7" && cell.server === "remix-serve")!,
  CELLS.find((cell) => cell.deps === "remix-2.17-vite-6" && cell.server === "remix-live-serve")!,
];

for (const [broker, liveUrl] of Object.entries(BROKERS)) for (const cell of SERVE_CELLS) {
  test(`a script that only emits reaches a browser on ${cell.name}, through ${broker}, from its first emit`, async ({ page }) => {
    const messages = messagesFile(cell, `emit-only-${broker}`);
    const server = await startCellServer(cell, { env: { REMIX_LIVE_URL: liveUrl }, messages });
    try {
      await openChat(page, server.url);
      await expect.poll(async () => (await liveStats(server.url)).streams).toBe(1);
      const text = `from a script through ${broker} ${Date.now()}`;
      const { stderr } = await exec(nodeBinary(cell.node), ["emit.mjs", text], {
        cwd: cellDir(cell),
        env: { ...process.env, REMIX_LIVE_URL: liveUrl, MESSAGES_FILE: messages },
      });
      expect(stderr).toBe("");
      await expect(page.getByRole("list", { name: "Messages" })).toContainText(text);
      // A deploy's SIGTERM ends the server although the tab is open and its browser reconnects.
      expect(await server.stop(), "the server exits on SIGTERM with a live tab open").toBe(true);
    } finally {
      await server.stop();
    }
  });
}
