import { expect, test, type Page } from "@playwright/test";
import { startPostgres, startRedis, type RedisServer } from "../../plugin/test/brokers";
import { freshDatabase, startInstance, type Instance } from "../instances";
import { messageList, uniqueText } from "./helpers";

// Two production servers sharing a private Redis this test may stop and start, with a tab open on
// instance B while messages are posted on instance A.
let redis: RedisServer;
let a: Instance;
let b: Instance;

test.beforeAll(async () => {
  redis = await startRedis();
  const database = freshDatabase("e2e-fault");
  [a, b] = await Promise.all([startInstance({ database, liveUrl: redis.url }), startInstance({ database, liveUrl: redis.url })]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.remove();
});

async function post(instance: Instance, message: string): Promise<void> {
  const response = await fetch(`${instance.url}/chat`, { method: "POST", body: new URLSearchParams({ author: "fault", message }) });
  expect(response.status).toBe(200);
}

async function followers(instance: Instance): Promise<number> {
  const stats = (await (await fetch(`${instance.url}/live-stats`)).json()) as { channels: Record<string, number> };
  return stats.channels.chat ?? 0;
}

test("a Redis restart loses no update: one posted while it was down shows up once it is back, and later ones as usual", async ({ browser }) => {
  const tab: Page = await (await browser.newContext()).newPage();
  await tab.goto(`${b.url}/chat`);
  await tab.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
  await expect.poll(() => followers(b)).toBe(1);

  // Working as usual first, so the subscription is known to be in place.
  const before = uniqueText("before the outage");
  await post(a, before);
  await expect(messageList(tab).getByText(before)).toBeVisible();

  await redis.stop();
  const during = uniqueText("while Redis was down");
  await post(a, during); // The action succeeds: emit() does not throw when the broker is down.
  await redis.restart();
  // Instance B resubscribes and tells its pages to revalidate, since events may have been missed.
  await expect(messageList(tab).getByText(during)).toBeVisible({ timeout: 15_000 });

  const after = uniqueText("after the restart");
  await post(a, after);
  await expect(messageList(tab).getByText(after)).toBeVisible({ timeout: 5_000 });
  await tab.context().close();
});

test("an instance started while Redis is down serves pages, and goes live once Redis is up", async ({ browser }) => {
  const late = await startRedis();
  await late.stop();
  const database = freshDatabase("e2e-late-broker");
  const [first, second] = await Promise.all([startInstance({ database, liveUrl: late.url }), startInstance({ database, liveUrl: late.url })]);
  try {
    const tab = await (await browser.newContext()).newPage();
    const response = await tab.goto(`${second.url}/chat`);
    expect(response?.status()).toBe(200);
    await tab.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await expect.poll(() => followers(second)).toBe(1);

    await late.restart();
    const text = uniqueText("once Redis is up");
    await post(first, text);
    await expect(messageList(tab).getByText(text)).toBeVisible({ timeout: 15_000 });
    await tab.context().close();
  } finally {
    await Promise.all([first.stop(), second.stop()]);
    await late.remove();
  }
});

test("a PostgreSQL restart loses no update: one posted on one instance while it was down shows up in a browser on the other once it is back, and later ones as usual", async ({ browser }) => {
  // A private PostgreSQL this test may stop and start, and two instances of its own listening on it.
  const postgres = await startPostgres();
  const database = freshDatabase("e2e-fault-postgres");
  const [first, second] = await Promise.all([startInstance({ database, liveUrl: postgres.url }), startInstance({ database, liveUrl: postgres.url })]);
  try {
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(`${second.url}/chat`);
    await tab.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await expect.poll(() => followers(second)).toBe(1);

    // Working as usual first, so the LISTEN is known to be in place.
    const before = uniqueText("before the outage");
    await post(first, before);
    await expect(messageList(tab).getByText(before)).toBeVisible();

    await postgres.stop();
    const during = uniqueText("while PostgreSQL was down");
    await post(first, during); // The action succeeds: emit() does not throw when the broker is down.
    await postgres.restart();
    // The second instance listens again and tells its pages to revalidate, since events may have been missed.
    await expect(messageList(tab).getByText(during)).toBeVisible({ timeout: 15_000 });

    const after = uniqueText("after the restart");
    await post(first, after);
    await expect(messageList(tab).getByText(after)).toBeVisible({ timeout: 5_000 });
    await tab.context().close();
  } finally {
    await Promise.all([first.stop(), second.stop()]);
    await postgres.remove();
  }
});
