import { expect, test } from "@playwright/test";
import { freePort, freshDatabase, startInstance } from "../instances";
import { messageList, uniqueText } from "./helpers";

test("after a server restart every open tab comes back and shows what was posted while it was down", async ({ browser }) => {
  const database = freshDatabase("e2e-restart");
  const port = await freePort();
  let server = await startInstance({ database, liveUrl: "memory:", port });
  // A second server on the same database, to post to while the first is down.
  const other = await startInstance({ database, liveUrl: "memory:" });
  const context = await browser.newContext();
  try {
    const tabs = [await context.newPage(), await context.newPage(), await context.newPage()];
    for (const tab of tabs) {
      await tab.goto(`${server.url}/chat`);
      await tab.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
      await expect(tab.getByRole("status", { name: "Live updates" })).toHaveText("Live");
    }

    await server.stop();
    for (const tab of tabs) await expect(tab.getByRole("status", { name: "Live updates" })).toHaveText("Reconnecting…");
    const missed = uniqueText("while the server was down");
    expect((await fetch(`${other.url}/chat`, { method: "POST", body: new URLSearchParams({ author: "restart", message: missed }) })).status).toBe(200);

    server = await startInstance({ database, liveUrl: "memory:", port });
    // Reconnects wait 0.5 to 1.5 s at first (jittered) and longer each time, so a slow restart
    // delays the tabs' return by up to twice its own time; then they catch up once.
    for (const tab of tabs) await expect(messageList(tab)).toContainText(missed, { timeout: 30_000 });
    for (const tab of tabs) await expect(tab.getByRole("status", { name: "Live updates" })).toHaveText("Live");
    await expect(tabs[0]!.getByRole("heading", { level: 1 })).toHaveText("Chat");
  } finally {
    await context.close();
    await Promise.all([server.stop(), other.stop()]);
  }
});
