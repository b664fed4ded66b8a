import { beforeEach, expect, test, vi } from "vitest";

// The queue keeps module state, as it does in a page: each test gets a fresh copy.
let queue: typeof import("./revalidation-queue.js");
beforeEach(async () => {
  vi.resetModules();
  queue = await import("./revalidation-queue.js");
});

/** Remix's revalidator as the hooks see it: `revalidate()` starts loading; the test ends it. */
function fakeRevalidator() {
  const revalidator = {
    state: "idle" as "idle" | "loading",
    calls: 0,
    revalidate() {
      revalidator.calls += 1;
      revalidator.state = "loading";
      queue.trackRevalidator({ ...revalidator });
    },
    finish() {
      revalidator.state = "idle";
      queue.trackRevalidator({ ...revalidator });
    },
  };
  return revalidator;
}

const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

test("a burst of events, or several live routes hearing one emit, causes one revalidation", async () => {
  const revalidator = fakeRevalidator();
  queue.trackRevalidator(revalidator);
  for (let i = 0; i < 50; i++) queue.requestRevalidation();
  await microtasks();
  expect(revalidator.calls).toBe(1);
});

test("events during a revalidation do not restart it; they cause exactly one more after it ends", async () => {
  const revalidator = fakeRevalidator();
  queue.trackRevalidator(revalidator);
  queue.requestRevalidation();
  await microtasks();
  expect(revalidator.calls).toBe(1);
  for (let i = 0; i < 10; i++) queue.requestRevalidation();
  await microtasks();
  expect(revalidator.calls).toBe(1);
  revalidator.finish();
  await microtasks();
  expect(revalidator.calls).toBe(2);
  revalidator.finish();
  await microtasks();
  expect(revalidator.calls).toBe(2);
});

test("nothing revalidates until an event arrives: a page that just loaded is not reloaded", async () => {
  const revalidator = fakeRevalidator();
  queue.trackRevalidator(revalidator);
  revalidator.finish();
  await microtasks();
  expect(revalidator.calls).toBe(0);
});
