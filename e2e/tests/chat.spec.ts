import { expect, test } from "@playwright/test";
import { expectFollowers, messageList, openChat, uniqueText } from "./helpers";

// What the issue asks of a live page: other tabs show a new message shortly, without a reload.
const SHORTLY = { timeout: 2_000 };

test("a message sent in one tab appears in another without a reload", async ({ browser, request }) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  await openChat(alice);
  await openChat(bob);
  await expectFollowers(request, "chat", 2);
  let bobReloaded = false;
  bob.on("framenavigated", (frame) => {
    if (frame === bob.mainFrame()) bobReloaded = true;
  });

  const text = uniqueText("hello from alice");
  await alice.getByLabel("Your name").fill("alice");
  await alice.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await alice.getByRole("button", { name: "Send" }).click();

  await expect(messageList(alice).getByText(text)).toBeVisible(SHORTLY);
  await expect(messageList(bob).getByText(text)).toBeVisible(SHORTLY);
  expect(bobReloaded).toBe(false);
  await alice.context().close();
  await bob.context().close();
});

test("a message posted by a plain HTTP request appears in every open tab", async ({ browser, request }) => {
  const pages = [await (await browser.newContext()).newPage(), await (await browser.newContext()).newPage()];
  for (const page of pages) await openChat(page);
  await expectFollowers(request, "chat", 2);

  const text = uniqueText("posted by curl");
  const response = await request.post("/chat", { form: { author: "script", message: text }, maxRedirects: 0 });
  expect(response.status()).toBe(200);

  for (const page of pages) await expect(messageList(page).getByText(text)).toBeVisible(SHORTLY);
  for (const page of pages) await page.context().close();
});

test("the tabs of one browser share one connection; closing the tab that holds it hands it to another, which keeps receiving updates", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const [first, second, third] = [await context.newPage(), await context.newPage(), await context.newPage()];
  for (const page of [first, second, third]) await openChat(page);
  await expectFollowers(request, "chat", 1);

  // The first tab opened the connection (it leads); closing it moves the connection to another tab.
  await first.close();
  const text = uniqueText("after the leader left");
  await context.request.post("/chat", { form: { message: text } });
  for (const page of [second, third]) await expect(messageList(page)).toContainText(text, { timeout: 5_000 });
  await expectFollowers(request, "chat", 1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("the stream route answers with an event stream that proxies leave alone", async ({ baseURL }) => {
  const controller = new AbortController();
  const response = await fetch(`${baseURL}/chat/stream`, { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  expect(response.headers.get("cache-control")).toContain("no-transform");
  expect(response.headers.get("x-accel-buffering")).toBe("no");
  expect(response.headers.get("content-encoding")).toBeNull();
  controller.abort();
});
