import { beforeEach, expect, test, vi } from "vitest";

let times: typeof import("./load-times.js");
beforeEach(async () => {
  vi.restoreAllMocks();
  vi.resetModules();
  times = await import("./load-times.js");
});

test("before any data request, every route's data came with the document, asked for when the navigation began", () => {
  expect(Math.abs(times.dataLoadedAt("routes/chat") - performance.timeOrigin)).toBeLessThan(50);
});

test("a document the browser took from its cache holds data of any age", () => {
  vi.spyOn(performance, "getEntriesByType").mockReturnValue([{ type: "back_forward", transferSize: 0 } as PerformanceNavigationTiming]);
  expect(times.dataLoadedAt("routes/chat")).toBe(0);
});

test("a document fetched again on a back or forward navigation is as fresh as that navigation", () => {
  vi.spyOn(performance, "getEntriesByType").mockReturnValue([{ type: "back_forward", transferSize: 2_000 } as PerformanceNavigationTiming]);
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
