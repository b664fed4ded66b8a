import { expect, test } from "@playwright/test";
import { watchHeadings } from "../headings-seen";
import { expectFollowers, liveStats, messageList, openChat, uniqueText, waitForHydration } from "./helpers";

// The browser's one connection, over HTTP/1.1 (every server here is plain http://, six connections
// per origin at the most).

test("eight tabs of one browser all load and all show a new message, over one connection to the server", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const tabs = [];
  for (let i = 0; i < 8; i++) {
    const tab = await context.newPage();
    await openChat(tab);
    tabs.push(tab);
  }
  await expectFollowers(request, "chat", 1);
  expect((await liveStats(request)).streams).toBe(1);

  const text = uniqueText("to eight tabs");
  await context.request.post("/chat", { form: { message: text } });
  // How soon is measured by `npm run bench:tabs` (goal: 2 s), not here, where a busy machine would
  // fail it: this checks that every tab shows the message over the one connection.
  await Promise.all(tabs.map((tab) => expect(messageList(tab)).toContainText(text)));
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a page with no live route loads none of the connection's code, prefetching a live route's modules included; the first live page it opens loads it once, and follows its stream", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const page = await context.newPage();
  // The connection and the leader tab are a chunk of their own: live-client.js (dev) or live-client-<hash>.js (build).
  const connectionCode: string[] = [];
  page.on("request", (sent) => /\/live-client[-.][^/]*js$/.test(new URL(sent.url()).pathname) && connectionCode.push(sent.url()));
  await page.goto("/");
  await waitForHydration(page);
  // Hovering the link prefetches the chat's modules (its <Link prefetch="intent">): the hook's part of remix-live, not the connection's.
  const chatModule = page.waitForRequest((sent) => /\/chat(-[\w-]+\.js|\.tsx)$/.test(new URL(sent.url()).pathname));
  await page.getByRole("link", { name: "the chat" }).hover();
  await chatModule;
  expect(connectionCode).toEqual([]);

  await page.getByRole("link", { name: "the chat" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chat");
  await expectFollowers(request, "chat", 1);
  expect(connectionCode).toHaveLength(1);
  const text = uniqueText("after the connection loaded");
  await request.post("/chat", { form: { message: text } });
  await expect(messageList(page)).toContainText(text);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a browser without BroadcastChannel or Web Locks still gets live pages, each tab over its own connection", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  await context.addInitScript(() => {
    delete (window as { BroadcastChannel?: unknown }).BroadcastChannel;
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });
  });
  const [first, second] = [await context.newPage(), await context.newPage()];
  await openChat(first);
  await openChat(second);
  await expectFollowers(request, "chat", 2);

  const text = uniqueText("without the shared connection");
  await context.request.post("/chat", { form: { message: text } });
  for (const tab of [first, second]) await expect(messageList(tab)).toContainText(text);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("messages posted while the browser is offline show once it is back, and no error page appears meanwhile", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const page = await context.newPage();
  // The root ErrorBoundary's "Something went wrong" or Remix's "Application Error" would be seen.
  const headingsSeen = await watchHeadings(page);
  await openChat(page);
  await expectFollowers(request, "chat", 1);

  await context.setOffline(true);
  const missed = uniqueText("while offline");
  await request.post("/chat", { form: { message: missed } });
  await expect(page.getByRole("status", { name: "Live updates" })).toHaveText(/offline/i);
  await expect(messageList(page)).not.toContainText(missed);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chat");

  await context.setOffline(false);
  await expect(messageList(page)).toContainText(missed, { timeout: 10_000 });
  await expect(page.getByRole("status", { name: "Live updates" })).toHaveText(/live/i);
  expect(await headingsSeen()).toEqual(["Chat"]);
  await context.close();
});

test("two browsers signed in as different users never share a connection", async ({ browser, baseURL, request }) => {
  await expectFollowers(request, "rooms", 0);
  const contexts = [];
  for (const name of ["alice", "bob"]) {
    const context = await browser.newContext({ baseURL });
    expect((await context.request.post("/login", { form: { name, next: "/rooms" }, maxRedirects: 0 })).status()).toBe(302);
    const page = await context.newPage();
    await page.goto("/rooms");
    await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
    contexts.push(context);
  }
  // One connection per browser: each signed-in browser holds its own, resolved with its own cookie.
  await expectFollowers(request, "rooms", 2);
  for (const context of contexts) await context.close();
  await expectFollowers(request, "rooms", 0);
});
