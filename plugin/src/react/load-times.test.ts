import { beforeEach, expect, test, vi } from "vitest";

let times: typeof import("./load-times.js");
beforeEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.stubGlobal("location", new URL("http://app.test/"));
  vi.resetModules();
  times = await import("./load-times.js");
});

/** What the browser's performance timeline holds, by entry type. */
function entries(byType: Record<string, object[]>): void {
  vi.spyOn(performance, "getEntriesByType").mockImplementation((type) => (byType[type] ?? []) as PerformanceEntryList);
}

test("before any data request, every route's data came with the document, asked for when the navigation began", () => {
  expect(Math.abs(times.dataLoadedAt("routes/chat") - performance.timeOrigin)).toBeLessThan(50);
});

test("a document the browser took from its cache holds data of any age", () => {
  entries({ navigation: [{ type: "back_forward", transferSize: 0 }] });
  expect(times.dataLoadedAt("routes/chat")).toBe(0);
});

test("a document fetched again on a back or forward navigation is as fresh as that navigation", () => {
  entries({ navigation: [{ type: "back_forward", transferSize: 2_000 }] });
  expect(times.dataLoadedAt("routes/chat")).toBeGreaterThan(0);
});

test("a loader request names the routes it loads: ?_data= one, single fetch's _routes several, a bare .data all", () => {
  const document = times.dataLoadedAt("root");
  vi.useFakeTimers({ now: performance.timeOrigin + 1_000 });
  try {
    times.noteDataRequest(new URL("http://app.test/chat?_data=routes%2Fchat"));
    expect(times.dataLoadedAt("routes/chat")).toBe(Date.now());
    expect(times.dataLoadedAt("root")).toBe(document);
    vi.advanceTimersByTime(10);
    times.noteDataRequest(new URL("http://app.test/rooms/1.data?_routes=routes%2Frooms%2Croutes%2Frooms.%24roomId"));
    expect(times.dataLoadedAt("routes/rooms.$roomId")).toBe(Date.now());
    expect(times.dataLoadedAt("routes/chat")).toBe(Date.now() - 10);
    vi.advanceTimersByTime(10);
    times.noteDataRequest(new URL("http://app.test/chat.data"));
    expect(times.dataLoadedAt("root")).toBe(Date.now());
    expect(times.dataLoadedAt("routes/rooms")).toBe(Date.now());
  } finally {
    vi.useRealTimers();
  }
});

test("a data request made before the runtime loaded (a navigation into the tab's first live route) is read from the browser's resource timing buffer", () => {
  const now = performance.now();
  entries({
    resource: [
      { name: "http://app.test/chat?_data=routes%2Fchat", startTime: now - 200 },
      { name: "http://app.test/assets/chat-x1.js", startTime: now - 150 },
      // Another origin's data, and a request made once the runtime watches fetch() itself.
      { name: "http://elsewhere.test/x?_data=root", startTime: now - 100 },
      { name: "http://app.test/rooms/1?_data=routes%2Frooms", startTime: now + 1_000 },
    ],
  });
  const origin = Date.now() - performance.now();
  expect(Math.abs(times.dataLoadedAt("routes/chat") - (origin + now - 200))).toBeLessThan(5);
  // The document's time for the others.
  expect(Math.abs(times.dataLoadedAt("root") - origin)).toBeLessThan(5);
  expect(Math.abs(times.dataLoadedAt("routes/rooms") - origin)).toBeLessThan(5);
});
