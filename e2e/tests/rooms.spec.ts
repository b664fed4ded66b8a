import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { SHARED_STREAM } from "../held-requests";
import { expectFollowers, liveStats, openChat, revalidationsOf, startStreamCutter, uniqueText, waitForHydration } from "./helpers";

/** A browser context signed in as `name` (the playground's sign-in is a name in a cookie). */
async function signedIn(browser: Browser, baseURL: string, name: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post("/login", { form: { name, next: "/rooms" }, maxRedirects: 0 });
  expect(response.status()).toBe(302);
  return context;
}

async function openRoom(context: BrowserContext, roomId: number, origin = ""): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/rooms/${roomId}`);
  await waitForHydration(page);
  return page;
}

/**
 * Creates a room no other test uses, so its loader runs count this test's tabs only, and returns its
 * id. It is created quietly, as a seed would be (see the playground's debug.rooms.ts): a page that
 * loads right after a change on "rooms" may catch up on it once when its stream joins, and these
 * tests count every revalidation.
 */
async function createRoom(context: BrowserContext, name: string): Promise<number> {
  const response = await context.request.post("/debug/rooms", { form: { name } });
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { id: number }).id;
}

function messagesOf(page: Page) {
  return page.getByRole("list", { name: "Messages" });
}

async function postToRoom(context: BrowserContext, roomId: number, message: string): Promise<void> {
  expect((await context.request.post(`/api/rooms/${roomId}/messages`, { form: { message } })).status()).toBe(201);
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
  await expect(first.getByRole("list", { name: "Messages" }).getByText(text)).toBeVisible();
  await expect(second.getByRole("list", { name: "Messages" }).getByText(text)).toBeVisible();

  // Then a message in room 2 from outside any browser. The room 2 tab revalidates for it exactly
  // once: had it also followed room 1, it would have re-run its loader twice by now.
  const probe = uniqueText("for room 2");
  expect((await bob.request.post("/api/rooms/2/messages", { form: { message: probe } })).status()).toBe(201);
  await expect(other.getByRole("list", { name: "Messages" }).getByText(probe)).toBeVisible();
  expect(await loaderRuns(dave, "room:2")).toBe(room2Runs + 1);
  await expect(other.getByText(text)).toHaveCount(0);
  await Promise.all([bob.close(), carol.close(), dave.close()]);
  // The next test counts its own tab's streams.
  for (const channel of ["rooms", "room:1", "room:2"]) await expectFollowers(request, channel, 0);
});

test("nested live routes follow their own channels: a new room shows up in an open room page", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  const page = await openRoom(bob, 1);
  await expectFollowers(request, "rooms", 1);
  await expectFollowers(request, "room:1", 1);

  const name = uniqueText("Room");
  const response = await bob.request.post("/rooms", { form: { name } });
  expect(response.ok()).toBe(true);
  await expect(page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name })).toBeVisible();
  await bob.close();
  for (const channel of ["rooms", "room:1"]) await expectFollowers(request, channel, 0);
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
  await expect(member.getByRole("list", { name: "Messages" }).getByText(secret)).toBeVisible();
  expect(await outsider.content()).not.toContain(secret);
  // Bob cannot post there either, nor reach it through the API.
  expect((await bob.request.post("/api/rooms/3/messages", { form: { message: "let me in" }, failOnStatusCode: false })).status()).toBe(403);

  await Promise.all([bob.close(), alice.close(), anonymous.close()]);
  await expectFollowers(request, "room:3", 0);
});

test("a member who signs out: the browser's next stream refuses the room's route only, and the tab showing it revalidates into the room's own answer", async ({ browser, baseURL, request }) => {
  const alice = await signedIn(browser, baseURL!, "alice");
  const room = await openRoom(alice, 3);
  await expectFollowers(request, "room:3", 1);
  // Signing out (in any tab) clears the cookie for the whole browser; the stream already open goes on.
  await alice.clearCookies();
  // Another tab opens a live page: the browser's one stream is reopened for the new set of routes,
  // each resolved with the cookies of now.
  const chat = await alice.newPage();
  await openChat(chat);
  // The room's loader answers for itself: the redirect to sign in, back to the room afterwards.
  await expect(room).toHaveURL(/\/login\?next=%2Frooms%2F3$/, { timeout: 10_000 });
  await expectFollowers(request, "room:3", 0);
  // The other routes of that stream were not refused: the chat tab still hears its channel.
  const text = uniqueText("still live");
  await request.post("/chat", { form: { message: text } });
  await expect(chat.getByRole("list", { name: "Messages" })).toContainText(text);
  await alice.close();
});

test("a stream URL naming no room is refused by the room's live function with its 404, and nothing subscribes", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  await expect.poll(async () => (await liveStats(request)).streams, { timeout: 10_000 }).toBe(0);
  // Each URL matches the generated stream route /rooms/:roomId/stream: the refusal comes from the
  // room's live function ("No such room"), not from a URL that no route serves. (A live function
  // decides the channels itself, so remix-live's own 400 for params that make no channel name
  // applies to template routes only: see dev-last-channel-template.spec.ts.)
  for (const roomId of ["9".repeat(300), "999999", "not-a-room", "1%0A%0Adata:%20x", "%3Cscript%3E"]) {
    const response = await bob.request.get(`/rooms/${roomId}/stream`, { maxRedirects: 0, timeout: 5_000, failOnStatusCode: false });
    expect(response.status(), roomId).toBe(404);
    expect(await response.text(), roomId).toBe("No such room");
  }
  expect((await liveStats(request)).streams).toBe(0);
  await bob.close();
});

test("one change that reaches both live routes of a room page re-runs the page's loaders once, in one revalidation", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  const roomId = await createRoom(bob, uniqueText("Both at once"));
  const page = await openRoom(bob, roomId);
  await expectFollowers(request, "rooms", 1);
  await expectFollowers(request, `room:${roomId}`, 1);
  const revalidations = revalidationsOf(page, `/rooms/${roomId}`);
  const roomLoaderRuns = await loaderRuns(bob, `room:${roomId}`);
  expect(roomLoaderRuns).toBe(1); // the page's own load: opening the streams revalidates nothing

  // One change that concerns the room list ("rooms", the layout's stream) and this room
  // ("room:<id>", the room's stream): the browser hears it on two streams, as two events.
  const emitted = await bob.request.post("/debug/emit", {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    data: new URLSearchParams([["channel", "rooms"], ["channel", `room:${roomId}`]]).toString(),
  });
  expect(emitted.ok()).toBe(true);
  // Its loaders must have run before the next message exists, or their answer would carry it too.
  await expect.poll(() => revalidations.answered).toBe(1);

  // Then one more message, to this room alone: it revalidates the page once more. Had the pair
  // caused a second revalidation, that one would have run by the time this message shows, and
  // every count below would be one higher.
  const later = uniqueText("afterwards");
  await postToRoom(bob, roomId, later);
  await expect(messagesOf(page).getByText(later)).toBeVisible();
  // Two data requests: the pair re-ran both live routes' loaders, the message the room's alone.
  expect(revalidations).toEqual(["routes/rooms,routes/rooms.$roomId", "routes/rooms.$roomId"]);
  expect(await loaderRuns(bob, `room:${roomId}`)).toBe(roomLoaderRuns + 2);
  await bob.close();
});

test("a room page whose stream dropped reconnects, re-runs the loader of the route that changed meanwhile once, and shows the message posted while it was down", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  const roomId = await createRoom(bob, uniqueText("Flaky network"));
  // The tab reaches the server through a proxy that can cut the browser's live connection (and only that).
  const network = await startStreamCutter(baseURL!, `${SHARED_STREAM}?`);
  try {
    const page = await openRoom(bob, roomId, network.url);
    await expectFollowers(request, `room:${roomId}`, 1);
    const revalidations = revalidationsOf(page, `/rooms/${roomId}`);
    const roomLoaderRuns = await loaderRuns(bob, `room:${roomId}`);

    network.cut();
    await expectFollowers(request, `room:${roomId}`, 0);
    const missed = uniqueText("while the stream was down");
    await postToRoom(bob, roomId, missed); // a plain HTTP request, straight to the server
    await expect(messagesOf(page).getByText(missed)).toHaveCount(0);

    network.restore();
    // The browser reconnects on its own (the stream's `retry` is 1 s) and the page revalidates.
    await expect(messagesOf(page).getByText(missed)).toBeVisible({ timeout: 10_000 });
    await expectFollowers(request, `room:${roomId}`, 1);

    // One more message over the restored stream: had the reconnect revalidated twice, the second
    // would have run by the time this message shows, and the counts below would be one higher.
    const later = uniqueText("after the reconnect");
    await postToRoom(bob, roomId, later);
    await expect(messagesOf(page).getByText(later)).toBeVisible();
    // The catch-up re-ran the room's loader only (the room list did not change while the stream
    // was down), and so did the message; never the root's.
    expect(revalidations).toEqual(["routes/rooms.$roomId", "routes/rooms.$roomId"]);
    expect(await loaderRuns(bob, `room:${roomId}`)).toBe(roomLoaderRuns + 2);
  } finally {
    await bob.close();
    await network.close();
  }
});

test("an event re-runs the loaders of the routes that follow its channel only: the layout's, the child's, never the root's", async ({ browser, baseURL, request }) => {
  const bob = await signedIn(browser, baseURL!, "bob");
  const roomId = await createRoom(bob, uniqueText("Only what changed"));
  const page = await openRoom(bob, roomId);
  await expectFollowers(request, `room:${roomId}`, 1);
  const revalidations = revalidationsOf(page, `/rooms/${roomId}`);
  const rootRuns = await loaderRuns(bob, "root");
  const emit = (channel: string) =>
    bob.request.post("/debug/emit", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, data: new URLSearchParams({ channel }).toString() });

  await emit(`room:${roomId}`);
  await expect.poll(() => revalidations.length).toBe(1);
  await emit("rooms");
  // Answered: the root's count below is read after this revalidation's loaders ran.
  await expect.poll(() => revalidations.answered).toBe(2);
  expect(revalidations).toEqual(["routes/rooms.$roomId", "routes/rooms"]);
  expect(await loaderRuns(bob, "root")).toBe(rootRuns);
  await bob.close();
});
