import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { browserUse } from "../browser";
import { expectFollowers, liveStats, messageList, openChat, postToChat } from "./helpers";

// Playwright turns Chromium's back/forward cache off; these tests need it as users have it. They run
// on the production build only: the dev server's HMR socket keeps pages out of that cache.
test.use({ launchOptions: { ...browserUse.launchOptions, ignoreDefaultArgs: ["--disable-back-forward-cache"] } });

/** Waits until every one of `pages` shows the chat message `text`. */
async function expectShown(text: string, ...pages: Page[]): Promise<void> {
  for (const page of pages) await expect(messageList(page).getByText(text)).toBeVisible();
}

/** Records, in the page, whether it was last shown from the back/forward cache. */
async function watchRestores(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    addEventListener("pageshow", (event) => {
      (window as { restored?: boolean }).restored = event.persisted;
    });
  });
}

/** Leaves the page for another document, so the browser keeps it in its back/forward cache. */
async function leave(page: Page): Promise<void> {
  await page.goto("/");
}

/** Back to the page left with `leave()`, and checks that it came from the back/forward cache. */
async function comeBack(page: Page): Promise<void> {
  // A page restored from the cache fires no load event.
  await page.goBack({ waitUntil: "commit" });
  // The restored page replaces the one that committed: an evaluation in between finds no page.
  const restored = () => page.evaluate(() => (window as { restored?: boolean }).restored).catch(() => undefined);
  await expect.poll(restored, { message: "the page came from the back/forward cache" }).toBe(true);
}

test("a tab kept in the back/forward cache hands the connection over: the other tab stays live, and it shows what it missed when it is back", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  await watchRestores(context);
  // The first tab opened holds the browser's connection.
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await openChat(page);
  await expectFollowers(request, "chat", 1);

  await leave(first);
  const missed = await postToChat(request, "while the first tab was away");
  await expectShown(missed, second);
  // The cached tab holds no stream of its own: the browser still has one connection.
  await expectFollowers(request, "chat", 1);

  await comeBack(first);
  await expectShown(missed, first);
  const later = await postToChat(request, "with both tabs back");
  await expectShown(later, first, second);
  await expectFollowers(request, "chat", 1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("the browser's connection keeps following the routes of a tab in the back/forward cache, so that tab misses nothing when it is back", async ({ browser, baseURL, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  await watchRestores(context);
  expect((await context.request.post("/login", { form: { name: "bob", next: "/rooms" }, maxRedirects: 0 })).status()).toBe(302);
  // The room tab opens first and holds the connection; the chat tab's route is on it too.
  const [rooms, chat] = [await context.newPage(), await context.newPage()];
  await rooms.goto("/rooms/1");
  await expectFollowers(request, "room:1", 1);
  await openChat(chat);
  await expectFollowers(request, "chat", 1);

  await leave(chat);
  const missed = await postToChat(request, "while the chat tab was away");
  // Still followed: had the stream dropped the chat, it would have to open again when the tab is
  // back, and a message posted in between would be lost.
  await expectFollowers(request, "chat", 1);
  await expect.poll(async () => (await liveStats(request)).streams).toBe(1);

  await comeBack(chat);
  await expectShown(missed, chat);
  const later = await postToChat(request, "with the chat tab back");
  await expectShown(later, chat);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a tab in the back/forward cache does not take the connection over: when the tab holding it closes, a live tab does", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  await watchRestores(context);
  const [first, second, third] = [await context.newPage(), await context.newPage(), await context.newPage()];
  for (const page of [first, second, third]) await openChat(page);
  await expectFollowers(request, "chat", 1);

  await leave(second);
  await first.close();
  const text = await postToChat(request, "after the first tab closed");
  await expectShown(text, third);

  await comeBack(second);
  await expectShown(text, second);
  await expectFollowers(request, "chat", 1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("without BroadcastChannel or Web Locks, a tab in the back/forward cache holds no stream, and catches up when it is back", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  await watchRestores(context);
  await context.addInitScript(() => {
    delete (window as { BroadcastChannel?: unknown }).BroadcastChannel;
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });
  });
  const page = await context.newPage();
  await openChat(page);
  await expectFollowers(request, "chat", 1);

  await leave(page);
  await expectFollowers(request, "chat", 0);
  const missed = await postToChat(request, "while the tab was away");

  await comeBack(page);
  await expectShown(missed, page);
  await expectFollowers(request, "chat", 1);
  const later = await postToChat(request, "once it is back");
  await expectShown(later, page);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a tab told it is about to be frozen (Chrome's `freeze` event) hands the connection over, and catches up on `resume`", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await openChat(page);
  await expectFollowers(request, "chat", 1);

  // Chrome sends `freeze` to a background tab before it stops running its code. Headless Chromium
  // never freezes a page (the DevTools lifecycle state leaves it running), so the events are sent
  // by hand: the page keeps running, which lets the test see that it let go of everything.
  const lifecycle = (page: Page, name: "freeze" | "resume") => page.evaluate((event) => document.dispatchEvent(new Event(event)), name);
  await lifecycle(first, "freeze");
  const missed = await postToChat(request, "while the first tab was frozen");
  await expectShown(missed, second);
  await expectFollowers(request, "chat", 1);
  // By now the message had reached the first tab too, had it kept the connection or the channel.
  await expect(messageList(first).getByText(missed)).toHaveCount(0);

  await lifecycle(first, "resume");
  await expectShown(missed, first);
  const later = await postToChat(request, "with both tabs running");
  await expectShown(later, first, second);
  await expectFollowers(request, "chat", 1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a tab whose page stops running without a word (iOS Safari suspends background tabs so) loses the connection to a visible tab, and follows it once it runs again", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await openChat(page);
  await expectFollowers(request, "chat", 1);

  // The first tab holds the connection, and stops running code: it keeps its lock, and its
  // socket stays open, but it relays nothing.
  const debug = await context.newCDPSession(first);
  await debug.send("Debugger.enable");
  await debug.send("Debugger.pause");
  // The second tab is shown (as when the user switches to it): it asks the leader, hears nothing,
  // and takes over with a stream of its own.
  await second.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expectFollowers(request, "chat", 2);
  const whilePaused = await postToChat(request, "while the first tab was suspended");
  await expectShown(whilePaused, second);

  // Running again, the first tab finds its lock taken: it drops its stream and follows the second tab.
  await debug.send("Debugger.resume");
  await expectFollowers(request, "chat", 1);
  const after = await postToChat(request, "after the first tab came back");
  await expectShown(after, first, second);
  await expectShown(whilePaused, first);
  await context.close();
  await expectFollowers(request, "chat", 0);
});
