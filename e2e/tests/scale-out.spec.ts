import { expect, test, type Browser, type Page } from "@playwright/test";
import { freshDatabase, startInstance, type Instance } from "../instances";
import { holdRequests, isLiveStream } from "../held-requests";
import { messageList, postToChat, revalidationsOf, uniqueText } from "./helpers";

// Two production servers of the same app (one SQLite file in WAL mode stands in for the shared
// database), each with its own browser, connected through one broker.
const BROKERS = {
  redis: "redis://127.0.0.1:6379",
  postgres: "postgres://postgres@127.0.0.1:5432/test",
};

async function followers(instance: Instance, channel: string): Promise<number> {
  const stats = (await (await fetch(`${instance.url}/live-stats`)).json()) as { channels: Record<string, number> };
  return stats.channels[channel] ?? 0;
}

async function openChat(browser: Browser, instance: Instance): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${instance.url}/chat`);
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
  await expect.poll(() => followers(instance, "chat")).toBe(1);
  return page;
}

for (const [broker, liveUrl] of Object.entries(BROKERS)) {
  test.describe(`scaled out through ${broker}`, () => {
    let a: Instance;
    let b: Instance;
    test.beforeAll(async () => {
      const database = freshDatabase(`e2e-scale-${broker}`);
      [a, b] = await Promise.all([startInstance({ database, liveUrl }), startInstance({ database, liveUrl })]);
    });
    test.afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });

    test("a message posted on instance A appears in a browser connected to instance B; the writer re-runs its loaders once for its post (its echo comes back through the broker), the other browser once", async ({ browser, request }) => {
      // A fresh instance counts a page that loaded before its subscription was active as possibly
      // stale (see the README), and that page re-runs once. Both instances hear the chat first: a
      // page on each shows a message posted on the other, and the subscriptions outlast the pages.
      const warm = [await openChat(browser, a), await openChat(browser, b)];
      for (const [page, other] of [[warm[0]!, b], [warm[1]!, a]] as const) {
        await expect(messageList(page).getByText(await postToChat(request, `warm-up via ${broker}`, other.url))).toBeVisible();
      }
      for (const page of warm) await page.context().close();
      for (const instance of [a, b]) await expect.poll(() => followers(instance, "chat")).toBe(0);

      const onA = await openChat(browser, a);
      const onB = await openChat(browser, b);
      const [runsOnA, runsOnB] = [revalidationsOf(onA, "/chat"), revalidationsOf(onB, "/chat")];
      const text = uniqueText(`via ${broker}`);
      await onA.getByRole("textbox", { name: "Message", exact: true }).fill(text);
      await onA.getByRole("button", { name: "Send" }).click();
      await expect(messageList(onB).getByText(text)).toBeVisible();
      await expect(messageList(onA).getByText(text)).toBeVisible();
      await expect.poll(() => [runsOnA.answered, runsOnB.answered]).toEqual([1, 1]);
      // A change from elsewhere reaches both. Had the writer's echo re-run its loaders, that run
      // would have come before this one, and its count would be one higher.
      const later = await postToChat(request, `later, via ${broker}`, b.url);
      for (const page of [onA, onB]) await expect(messageList(page).getByText(later)).toBeVisible();
      await expect.poll(() => [runsOnA.answered, runsOnB.answered]).toEqual([2, 2]);
      expect([runsOnA.length, runsOnB.length]).toEqual([2, 2]);
      await onA.context().close();
      await onB.context().close();
    });

    test("a page on instance B catches up on what instance A emitted before its stream joined, and a page that loads in quiet does not", async ({ browser, request }) => {
      const post = (label: string) => postToChat(request, label, a.url);
      const page = await (await browser.newContext()).newPage();
      const stream = await holdRequests(page, isLiveStream);
      const runs = revalidationsOf(page, "/chat");
      await page.goto(`${b.url}/chat`);
      await stream.asked;
      const missed = await post(`while loading, via ${broker}`);
      stream.release();
      await expect(messageList(page).getByText(missed)).toBeVisible();
      await expect.poll(() => runs.answered).toBe(1);

      // B heard the chat's changes all along from here: a page loading now has missed nothing.
      const quiet = await (await browser.newContext()).newPage();
      const quietRuns = revalidationsOf(quiet, "/chat");
      await quiet.goto(`${b.url}/chat`);
      await expect.poll(() => followers(b, "chat")).toBe(2);
      const next = await post(`after loading, via ${broker}`);
      for (const shown of [page, quiet]) await expect(messageList(shown).getByText(next)).toBeVisible();
      await expect.poll(() => quietRuns.answered).toBe(1);
      expect(quietRuns).toHaveLength(1);
      await page.context().close();
      await quiet.context().close();
    });
  });
}

test("SIGTERM ends open streams and closes the broker connection, so the server can exit", async () => {
  const instance = await startInstance({ database: freshDatabase("e2e-shutdown"), liveUrl: BROKERS.redis });
  const response = await fetch(`${instance.url}/chat/stream`);
  const reader = response.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain(": connected");
  // remix-serve closes its HTTP server on SIGTERM; an open stream or a Redis connection would keep
  // the process alive forever.
  await instance.stop();
  let ended = false;
  while (!ended) ended = (await reader.read()).done;
  expect(ended).toBe(true);
});
