import { afterEach, beforeEach, expect, test, vi } from "vitest";

// The queue keeps module state, as it does in a page: each test gets a fresh copy.
let queue: typeof import("./revalidation-queue.js");
beforeEach(async () => {
  vi.useFakeTimers();
  vi.resetModules();
  queue = await import("./revalidation-queue.js");
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
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
  queue.trackRevalidator({ ...revalidator });
  return revalidator;
}

/** Checks that the next revalidation starts `ms` from now, not a millisecond sooner. */
function expectNextRunIn(revalidator: ReturnType<typeof fakeRevalidator>, ms: number) {
  const calls = revalidator.calls;
  vi.advanceTimersByTime(ms - 1);
  expect(revalidator.calls).toBe(calls);
  vi.advanceTimersByTime(1);
  expect(revalidator.calls).toBe(calls + 1);
}

const WINDOW = 50;
/** How long events must pause before the run after a burst. */
const TRAILING_QUIET = 300;

test("events that arrive within the window (several live routes hearing one change) cause one revalidation", () => {
  const revalidator = fakeRevalidator();
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(14);
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(WINDOW - 15);
  expect(revalidator.calls).toBe(0);
  vi.advanceTimersByTime(1);
  expect(revalidator.calls).toBe(1);
  revalidator.finish();
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(1);
});

test("a burst of 100 events in 100 ms causes two revalidations: one soon after it starts, one after it ends", () => {
  const revalidator = fakeRevalidator();
  for (let t = 0; t < 100; t++) {
    queue.requestRevalidation("routes/a");
    vi.advanceTimersByTime(1);
    if (revalidator.state === "loading" && t === 70) revalidator.finish();
  }
  expect(revalidator.calls).toBe(1);
  // The last event came 1 ms ago: the run after the burst comes once events paused long enough.
  expectNextRunIn(revalidator, TRAILING_QUIET - 1);
  revalidator.finish();
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(2);
});

test("a change within a second of a revalidation waits 300 ms; one after a quiet second, the 50 ms window", () => {
  const revalidator = fakeRevalidator();
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(WINDOW);
  revalidator.finish();
  vi.advanceTimersByTime(600);
  queue.requestRevalidation("routes/a");
  expectNextRunIn(revalidator, TRAILING_QUIET);
  revalidator.finish();
  vi.advanceTimersByTime(1_000);
  queue.requestRevalidation("routes/a");
  expectNextRunIn(revalidator, WINDOW);
});

test("events during a revalidation never restart it, and cause exactly one more after it ends", () => {
  const revalidator = fakeRevalidator();
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(1);
  for (let i = 0; i < 10; i++) queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(1);
  revalidator.finish();
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(2);
  revalidator.finish();
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(2);
});

test("under events that never pause, the next revalidation still starts within a second of the last", () => {
  const revalidator = fakeRevalidator();
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(WINDOW);
  revalidator.finish();
  let waited = 0;
  while (revalidator.calls === 1 && waited < 5_000) {
    queue.requestRevalidation("routes/a");
    vi.advanceTimersByTime(10);
    waited += 10;
  }
  expect(revalidator.calls).toBe(2);
  expect(waited).toBeLessThanOrEqual(1_000);
});

test("nothing revalidates until an event arrives: a page that just loaded is not reloaded", () => {
  const revalidator = fakeRevalidator();
  revalidator.finish();
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(0);
});

test("nothing revalidates while the browser is offline; what was pending runs once it is back online", () => {
  const revalidator = fakeRevalidator();
  // The browser's window, as far as the queue uses it.
  const window = new EventTarget();
  const navigator = { onLine: false };
  vi.stubGlobal("navigator", navigator);
  vi.stubGlobal("addEventListener", window.addEventListener.bind(window));
  queue.requestRevalidation("routes/a");
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(0);
  navigator.onLine = true;
  window.dispatchEvent(new Event("online"));
  vi.advanceTimersByTime(1);
  expect(revalidator.calls).toBe(1);
});

test("events heard while a navigation loads wait, and run once it is done (a layout above it is not re-run by it)", () => {
  const revalidator = fakeRevalidator();
  queue.setBusy(true);
  queue.requestRevalidation("routes/rooms");
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(0);
  queue.setBusy(false);
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(1);
});

/** Remix asks the server for `routeId`'s data now (a navigation, a submission's revalidation). */
async function remixLoads(routeId: string): Promise<void> {
  const { noteDataRequest } = await import("./load-times.js");
  vi.advanceTimersByTime(1);
  noteDataRequest(new URL(`http://app.test/page.data?_routes=${encodeURIComponent(routeId)}`));
}

test("events heard while this tab's submission waits for its action are covered by Remix's revalidation after it", async () => {
  const revalidator = fakeRevalidator();
  queue.setBusy(true);
  queue.requestRevalidation("routes/chat");
  await remixLoads("routes/chat"); // Remix revalidates after the action
  queue.setBusy(false);
  vi.advanceTimersByTime(10 * WINDOW);
  expect(revalidator.calls).toBe(0);
});

test("when Remix does not revalidate after the action (an action error), the events heard meanwhile still run", () => {
  const revalidator = fakeRevalidator();
  queue.setBusy(true);
  queue.requestRevalidation("routes/chat");
  queue.setBusy(false);
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(1);
});

test.each([
  ["after", 1],
  ["in the same millisecond as", 0],
])("an event heard %s Remix asked for the route's data still runs: the request may have read the data before the change", async (_when, gap) => {
  const revalidator = fakeRevalidator();
  queue.setBusy(true);
  await remixLoads("routes/chat");
  vi.advanceTimersByTime(gap);
  queue.requestRevalidation("routes/chat");
  queue.setBusy(false);
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(1);
});

test("after a navigation, only the routes it did not load re-run for what they heard meanwhile", async () => {
  const { liveShouldRevalidate } = await import("./live-targets.js");
  const revalidator = fakeRevalidator();
  const original = revalidator.revalidate;
  let targeted: boolean[] = [];
  revalidator.revalidate = () => {
    targeted = ["routes/rooms", "routes/rooms.$id"].map((id) => liveShouldRevalidate(id)({ defaultShouldRevalidate: true }));
    original();
  };
  queue.trackRevalidator({ ...revalidator });
  queue.setBusy(true);
  queue.requestRevalidation("routes/rooms");
  queue.requestRevalidation("routes/rooms.$id");
  await remixLoads("routes/rooms.$id"); // the layout stays: the navigation does not re-run it
  queue.setBusy(false);
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(1);
  expect(targeted).toEqual([true, false]);
});

test("a revalidation Remix never shows as loading (nothing to load) does not stop later ones", () => {
  const revalidator = fakeRevalidator();
  revalidator.revalidate = () => void (revalidator.calls += 1); // stays idle, as when every route declines
  queue.trackRevalidator({ ...revalidator });
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(WINDOW);
  expect(revalidator.calls).toBe(1);
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(3_000);
  expect(revalidator.calls).toBe(2);
});

test("a revalidation is for the routes that heard events since the last one, or for every route after an untargeted event (a hand-written stream's)", async () => {
  const { liveShouldRevalidate } = await import("./live-targets.js");
  const seen: Array<[boolean, boolean]> = [];
  const revalidator = fakeRevalidator();
  const original = revalidator.revalidate;
  revalidator.revalidate = () => {
    const args = { defaultShouldRevalidate: true };
    seen.push([liveShouldRevalidate("routes/a")(args), liveShouldRevalidate("root")(args)]);
    original();
  };
  queue.trackRevalidator({ ...revalidator });
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(WINDOW);
  revalidator.finish();
  queue.requestRevalidation();
  vi.advanceTimersByTime(TRAILING_QUIET);
  expect(seen).toEqual([
    [true, false],
    [true, true],
  ]);
});

test("with a 200 ms window, the run after a burst waits for three windows of quiet", () => {
  queue.setCoalesceWindow(200);
  const revalidator = fakeRevalidator();
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(200);
  expect(revalidator.calls).toBe(1);
  queue.requestRevalidation("routes/a");
  revalidator.finish();
  expectNextRunIn(revalidator, 3 * 200);
});

test("remixLive({ coalesceWindow }) sets the window: 200 ms gathers what comes within 200 ms into one revalidation", () => {
  queue.setCoalesceWindow(200);
  const revalidator = fakeRevalidator();
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(150);
  queue.requestRevalidation("routes/a");
  vi.advanceTimersByTime(49);
  expect(revalidator.calls).toBe(0);
  vi.advanceTimersByTime(1);
  expect(revalidator.calls).toBe(1);
  revalidator.finish();
  vi.advanceTimersByTime(10_000);
  expect(revalidator.calls).toBe(1);
});
