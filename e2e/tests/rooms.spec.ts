import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { expectFollowers, liveStats, uniqueText } from "./helpers";

const SHORTLY = { timeout: 2_000 };

/** A browser context signed in as `name` (the playground's sign-in is a name in a cookie). */
async function signedIn(browser: Browser, baseURL: string, name: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post("/login", { form: { name, next: "/rooms" }, maxRedirects: 0 });
  expect(response.status()).toBe(302);
  return context;
}

async function openRoom(context: BrowserContext, roomId: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/rooms/${roomId}`);
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
  return page;
}

async function loaderRuns(context: BrowserContext, key: string): Promise<number> {
  const runs = (await (await context.request.get("/debug/loader-runs")).json()) as Record<string, number>;
  return runs[key] ?? 0;
}

/** Opens /rooms/:id/stream and returns its status, without waiting for the stream to end. */
async function streamStatus(context: BrowserContext, path: string): Promise<number> {
  const response = await context.request.get(path, { maxRedirects: 0, timeout: 5_000, failOnStatusCode: false }).catch(() => null);
  if (response) return response.status();
  return -1;
}

test("a message in room 1 updates every room 1 tab and re-runs no loader of a room 2 tab", async ({ browser, baseURL, request }) => {
  // One browser each: a page here holds two streams (the room list's and the room's), and
  // HTTP/1.1 gives a browser six connections per origin across all its tabs.
  const [bob, carol, dave] = await Promise.all([signedIn(browser, baseURL!, "bob"), signedIn(browser, baseURL!, "carol"), signedIn(browser, baseURL!, "dave")]);
  const [first, second, other] = [await openRoom(bob, 1), await openRoom(carol, 1), await openRoom(dave, 2)];
  await expectFollowers(request, "room:1", 2);
  await expectFollowers(request, "room:2", 1);
  const room2Runs = await loaderRuns(dave, "room:2");

  const text = uniqueText("for room 1");
  await first.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await first.getByRole("button", { name: "Send" }).click();
  await expect(first.getByRole("list", { name: "Messages" }).getByText(text)).toBeVisible(SHORTLY);
  await expect(second.getByRole("list", { name: "Messages" }).getByText(text)).toBeVisible(SHORTLY);

  // Then a message in room 2 from outside any browser. The room 2 tab revalidates for it exactly
  // once: had it also followed room 1, it would have re-run its loader twice by now.
  const probe = uniqueText("for room 2");
  expect((await bob.request.post("/api/rooms/2/messages", { form: { message: probe } })).status()).toBe(201);
  await expect(other.getByRole("list", { name: "Messages" }).getByText(probe)).toBeVisible(SHORTLY);
  expect(await loaderRuns(dave, "room:2")).toBe(room2Runs + 1);
  await expect(other.getByText(text)).toHaveCount(0);
  await Promise.all([bob.close(), carol.close(), dave.close()]);
});

test("nested live routes follow their own channels: a new room shows up in an open room page", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  const page = await openRoom(bob, 1);
  await expectFollowers(request, "rooms", 1);
  await expectFollowers(request, "room:1", 1);

  const name = uniqueText("Room");
  const response = await bob.request.post("/rooms", { form: { name } });
  expect(response.ok()).toBe(true);
  await expect(page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name })).toBeVisible(SHORTLY);
  await bob.close();
});

test("the private room refuses a non-member's subscription and keeps its updates from them", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  const alice = await signedIn(browser, baseURL!, "alice");
  const anonymous = await browser.newContext({ baseURL });

  expect(await streamStatus(bob, "/rooms/3/stream")).toBe(403);
  expect(await streamStatus(anonymous, "/rooms/3/stream")).toBe(302);
  expect((await liveStats(request)).channels["room:3"] ?? 0).toBe(0);

  const outsider = await openRoom(bob, 3);
  await expect(outsider.getByRole("alert")).toHaveText("Forbidden: members only");
  const member = await openRoom(alice, 3);
  await expectFollowers(request, "room:3", 1);

  const secret = uniqueText("staff only");
  expect((await alice.request.post("/api/rooms/3/messages", { form: { message: secret } })).status()).toBe(201);
  await expect(member.getByRole("list", { name: "Messages" }).getByText(secret)).toBeVisible(SHORTLY);
  expect(await outsider.content()).not.toContain(secret);
  // Bob cannot post there either, nor reach it through the API.
  expect((await bob.request.post("/api/rooms/3/messages", { form: { message: "let me in" }, failOnStatusCode: false })).status()).toBe(403);

  await Promise.all([bob.close(), alice.close(), anonymous.close()]);
  await expectFollowers(request, "room:3", 0);
});

test("a malformed or unknown room in the stream URL is refused without a subscription", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  expect(await streamStatus(bob, `/rooms/${"9".repeat(5_000)}/stream`)).toBe(404);
  expect(await streamStatus(bob, "/rooms/not-a-room/stream")).toBe(404);
  expect(await streamStatus(bob, "/rooms/1%0A%0Adata:%20x/stream")).toBe(404);
  expect((await liveStats(request)).streams).toBe(0);
  await bob.close();
});
