import { expect, test } from "@playwright/test";
import { abandonStreams } from "../abandoned-streams";
import { holdRequests, isLiveStream, SHARED_STREAM } from "../held-requests";
import { expectFollowers, liveStats, messageList, openChat, postToChat, revalidationsOf, SETTLED_AFTER_MS, startStreamCutter, uniqueText, waitForHydration } from "./helpers";

// How soon other tabs show a change is measured by `npm run bench:tabs`; these tests check that they do.

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

  await expect(messageList(alice).getByText(text)).toBeVisible();
  await expect(messageList(bob).getByText(text)).toBeVisible();
  expect(bobReloaded).toBe(false);
  await alice.context().close();
  await bob.context().close();
  // The next test counts its own tabs' streams.
  await expectFollowers(request, "chat", 0);
});

test("a message posted by a plain HTTP request appears in every open tab", async ({ browser, request }) => {
  const pages = [await (await browser.newContext()).newPage(), await (await browser.newContext()).newPage()];
  for (const page of pages) await openChat(page);
  await expectFollowers(request, "chat", 2);

  const text = uniqueText("posted by curl");
  const response = await request.post("/chat", { form: { author: "script", message: text }, maxRedirects: 0 });
  expect(response.status()).toBe(200);

  for (const page of pages) await expect(messageList(page).getByText(text)).toBeVisible();
  for (const page of pages) await page.context().close();
  await expectFollowers(request, "chat", 0);
});

test("the tabs of one browser share one connection; closing the tab that holds it hands it to another, the tabs catch up once on what changed meanwhile, and updates keep coming", async ({ browser, request }) => {
  await expectFollowers(request, "chat", 0);
  const context = await browser.newContext();
  const [first, second, third] = [await context.newPage(), await context.newPage(), await context.newPage()];
  for (const page of [first, second, third]) await openChat(page);
  await expectFollowers(request, "chat", 1);
  const runs = [second, third].map((page) => revalidationsOf(page, "/chat"));
  // Whichever tab takes over, its stream waits until a message has been posted while no tab held one.
  const streams = await Promise.all([second, third].map((page) => holdRequests(page, isLiveStream)));

  // The first tab opened the connection (it leads); closing it moves the connection to another tab,
  // whose stream asks the server what changed meanwhile.
  await first.close();
  await expectFollowers(request, "chat", 0);
  await Promise.race(streams.map((stream) => stream.asked));
  const missed = uniqueText("while no tab held the connection");
  await context.request.post("/chat", { form: { message: missed } });
  for (const stream of streams) stream.release();
  for (const page of [second, third]) await expect(messageList(page)).toContainText(missed, { timeout: 5_000 });
  for (const seen of runs) await expect.poll(() => seen.answered).toBe(1);

  const text = uniqueText("after the leader left");
  await context.request.post("/chat", { form: { message: text } });
  for (const page of [second, third]) await expect(messageList(page)).toContainText(text, { timeout: 5_000 });
  expect(runs.map((seen) => seen.length)).toEqual([2, 2]);
  await expectFollowers(request, "chat", 1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("the tab that posts re-runs its loaders once for its post, even when its echo arrives late; another tab of the same browser once", async ({ browser, baseURL, request }) => {
  const network = await startStreamCutter(baseURL!, SHARED_STREAM);
  const context = await browser.newContext({ baseURL: network.url });
  try {
    const [writer, reader] = [await context.newPage(), await context.newPage()];
    for (const page of [writer, reader]) await openChat(page);
    await expectFollowers(request, "chat", 1);
    const writerRuns = revalidationsOf(writer, "/chat");
    const readerRuns = revalidationsOf(reader, "/chat");

    // The stream's events are held back until the writer's own revalidation after its action is
    // done: its echo arrives late, as through a slow network or a busy broker.
    network.hold();
    const text = uniqueText("from the writer");
    await writer.getByRole("textbox", { name: "Message", exact: true }).fill(text);
    await writer.getByRole("button", { name: "Send" }).click();
    await expect(messageList(writer).getByText(text)).toBeVisible();
    expect(writerRuns).toHaveLength(1); // Remix's revalidation after the action
    network.release();
    await expect(messageList(reader).getByText(text)).toBeVisible();
    await expect.poll(() => readerRuns.answered).toBe(1);

    // A change from elsewhere reaches both tabs. Had the echo re-run the writer's loaders, that run
    // would have come with the reader's, before this one, and the writer's count would be one higher.
    const later = uniqueText("from elsewhere");
    expect((await request.post("/chat", { form: { message: later } })).ok()).toBe(true);
    for (const page of [writer, reader]) await expect(messageList(page).getByText(later)).toBeVisible();
    expect(writerRuns).toHaveLength(2);
    expect(readerRuns).toHaveLength(2);
  } finally {
    // Also when the test fails: a stream left open would fail the tests that follow.
    await context.close();
    await network.close();
  }
  await expectFollowers(request, "chat", 0);
});

test("a burst of 100 emits in 100 ms re-runs each tab's loaders at most twice, and every tab ends on the last message", async ({ browser, request }) => {
  const context = await browser.newContext();
  const tabs = [await context.newPage(), await context.newPage(), await context.newPage()];
  for (const page of tabs) await openChat(page);
  await expectFollowers(request, "chat", 1);
  const runs = tabs.map((page) => revalidationsOf(page, "/chat"));

  const label = uniqueText("burst");
  const burst = await request.post("/debug/burst", { form: { label, count: "100", over: "100" } });
  expect(await burst.json()).toEqual({ emitted: 100 });
  for (const page of tabs) await expect(messageList(page).getByText(`${label} #100`)).toBeVisible();
  // A late clump of the burst's events could still start a run, at most a second after the last
  // one ended (the client's longest wait): count once no tab has had one under way for longer.
  await expect.poll(() => runs.every((tabRuns) => tabRuns.settledFor() > SETTLED_AFTER_MS), { timeout: 15_000 }).toBe(true);
  for (const tabRuns of runs) expect(tabRuns.length).toBeLessThanOrEqual(2);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a message posted after the page's loaders ran, before its stream joined, shows once the stream joins", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The page's one stream request waits until the message is posted, as on a slow network.
  const stream = await holdRequests(page, isLiveStream);
  const runs = revalidationsOf(page, "/chat");
  await openChat(page);
  await stream.asked;
  const text = await postToChat(request, "while loading");
  await expect(messageList(page).getByText(text)).toHaveCount(0);

  stream.release();
  await expect(messageList(page).getByText(text)).toBeVisible();
  await expect.poll(() => runs.answered).toBe(1);
  expect(runs).toHaveLength(1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a page that loads while nothing is emitted joins the stream without revalidating", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const runs = revalidationsOf(page, "/chat");
  await openChat(page);
  await expectFollowers(request, "chat", 1);
  // The next message costs one revalidation: had the page caught up on joining, it would be two.
  const text = await postToChat(request, "first since load");
  await expect(messageList(page).getByText(text)).toBeVisible();
  await expect.poll(() => runs.answered).toBe(1);
  expect(runs).toHaveLength(1);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a client-side navigation into a live route catches up on what was emitted before its stream joined", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  await waitForHydration(page);
  const stream = await holdRequests(page, isLiveStream);
  const runs = revalidationsOf(page, "/chat");
  await page.getByRole("link", { name: "the chat" }).click();
  await stream.asked;
  const text = await postToChat(request, "while navigating");
  await expect(messageList(page).getByText(text)).toHaveCount(0);

  stream.release();
  await expect(messageList(page).getByText(text)).toBeVisible();
  // The navigation's own load, then one catch-up.
  await expect.poll(() => runs.answered).toBe(2);
  expect(runs).toHaveLength(2);
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a navigation through a <Link prefetch> shows what was emitted between the prefetch and the navigation", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  await waitForHydration(page);
  const link = page.getByRole("link", { name: "the chat" });
  // Hovering the link prefetches the chat's data (and its modules).
  const prefetched = page.waitForResponse((response) => response.request().resourceType() !== "fetch" && /\/chat\.data/.test(response.url()));
  await link.hover();
  const prefetchUrl = (await prefetched).url();
  const text = await postToChat(request, "after the prefetch");
  const navigationData = page.waitForRequest((request) => request.resourceType() === "fetch" && /\/chat\.data/.test(request.url()));
  await link.click();
  // The navigation asks for what was prefetched: the browser could answer it from the prefetch.
  expect((await navigationData).url()).toBe(prefetchUrl);
  await expect(messageList(page).getByText(text)).toBeVisible();
  await context.close();
  await expectFollowers(request, "chat", 0);
});

test("a tab that opens a page another tab's stream carries already catches up on what it missed while loading, and only that tab", async ({ browser, request }) => {
  const context = await browser.newContext();
  const [first, third] = [await context.newPage(), await context.newPage()];
  for (const page of [first, third]) await openChat(page);
  await expectFollowers(request, "chat", 1);
  const [firstRuns, thirdRuns] = [first, third].map((page) => revalidationsOf(page, "/chat"));

  // The second tab has its HTML (the loaders ran) but not its scripts until the message is posted.
  const second = await context.newPage();
  const scripts = await holdRequests(second, (request) => request.resourceType() === "script");
  const secondRuns = revalidationsOf(second, "/chat");
  await second.goto("/chat", { waitUntil: "commit" });
  await expect(messageList(second)).toBeVisible();
  const text = await postToChat(request, "before hydration");
  for (const page of [first, third]) await expect(messageList(page).getByText(text)).toBeVisible();
  await expect(messageList(second).getByText(text)).toHaveCount(0);

  scripts.release();
  await expect(messageList(second).getByText(text)).toBeVisible();
  await expect.poll(() => secondRuns.answered).toBe(1);
  // The other tabs ran once, for the message: the answer to the second tab was for it alone.
  for (const runs of [firstRuns, thirdRuns, secondRuns]) expect(runs).toHaveLength(1);
  // Still one stream for the browser.
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

test("streams whose client leaves as soon as it asked are all released", async ({ baseURL, request }) => {
  // A tab closed, or a page left, just as it opened its stream: the request may reach the app after
  // its client is gone (behind remix-serve, once express.static has looked for a file of that name).
  await abandonStreams(baseURL!, `${SHARED_STREAM}?route=%2Fchat%2Fstream`, 100);
  await expect.poll(async () => (await liveStats(request)).streams, { timeout: 10_000 }).toBe(0);
});
