import { beforeEach, expect, test, vi } from "vitest";
import { ORIGIN_HEADER } from "../shared/emit-origin.js";

let module: typeof import("./submission-origin.js");
let sent: Request[];
beforeEach(async () => {
  vi.resetModules();
  vi.unstubAllGlobals();
  sent = [];
  vi.stubGlobal("location", new URL("http://app.test/chat"));
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    // What fetch() itself does with its arguments, with relative URLs resolved as a page would.
    sent.push(new Request(input instanceof Request ? input : new URL(String(input), "http://app.test/"), init));
    return new Response("ok");
  });
  module = await import("./submission-origin.js");
  module.tagSubmissions();
});

test("a submission (a POST to the app, as Remix sends for a <Form> or a fetcher) carries a fresh id the tab then recognises", async () => {
  await fetch("/chat?index&_data=routes%2Fchat", { method: "POST", body: new URLSearchParams({ message: "hi" }), headers: { "X-Kept": "yes" } });
  await fetch("/chat.data", { method: "post", body: "x" });
  const [first, second] = sent.map((request) => request.headers.get(ORIGIN_HEADER));
  expect(first).toMatch(/^[a-z0-9]{10}$/);
  expect(second).toMatch(/^[a-z0-9]{10}$/);
  expect(first).not.toBe(second);
  // Its echo needs no run for a route whose data was asked for after its answer came.
  await new Promise((resolve) => setTimeout(resolve, 2));
  await fetch("/chat.data?_routes=routes%2Fchat");
  expect(module.isCoveredEcho(first!, "routes/chat")).toBe(true);
  expect(module.isCoveredEcho(first!, "routes/rooms")).toBe(false);
  expect(module.isCoveredEcho("someoneelse", "routes/chat")).toBe(false);
  expect(module.isCoveredEcho(undefined, "routes/chat")).toBe(false);
  // The request is otherwise the one the app made.
  expect(sent[0]!.headers.get("X-Kept")).toBe("yes");
  expect(await sent[0]!.text()).toBe("message=hi");
});

test("a Request object keeps its method, headers and body", async () => {
  await fetch(new Request("http://app.test/chat.data", { method: "DELETE", headers: { "X-Kept": "yes" }, body: "gone" }));
  expect(sent[0]!.method).toBe("DELETE");
  expect(sent[0]!.headers.get("X-Kept")).toBe("yes");
  expect(sent[0]!.headers.get(ORIGIN_HEADER)).toMatch(/^[a-z0-9]{10}$/);
  expect(await sent[0]!.text()).toBe("gone");
});

test("reads, and requests to other origins, go out untouched", async () => {
  await fetch("/chat.data");
  await fetch("/chat", { method: "HEAD" });
  await fetch("http://elsewhere.test/api", { method: "POST", body: "x" });
  expect(sent.map((request) => request.headers.get(ORIGIN_HEADER))).toEqual([null, null, null]);
});

test("Remix's loader requests are noted, with the routes they load: a Request object, or a URL", async () => {
  const times = await import("./load-times.js");
  const before = times.dataLoadedAt("routes/chat");
  await new Promise((resolve) => setTimeout(resolve, 5));
  await fetch(new Request("http://app.test/rooms/1.data?_routes=routes%2Frooms.%24roomId"));
  await fetch("/chat?_data=routes%2Fchat");
  // Another origin's `_data` is not Remix's.
  await fetch("http://elsewhere.test/x?_data=root");
  expect(times.dataLoadedAt("routes/rooms.$roomId")).toBeGreaterThan(before);
  expect(times.dataLoadedAt("routes/chat")).toBeGreaterThan(before);
  expect(times.dataLoadedAt("root")).toBe(before);
});

test("a fetcher.load() (or a GET submission) of a live route's URL is not the page's load; a request while the router navigates, revalidates or follows up a fetcher's submission is", async () => {
  const times = await import("./load-times.js");
  const fetcher = (state: string, formMethod?: string) => ({ state, formMethod });
  // A fetcher loading; another one idle; a search form's GET submission is a load too.
  const loading = { navigation: { state: "idle" }, revalidation: "idle", fetchers: new Map([["more", fetcher("loading")], ["other", fetcher("idle")], ["search", fetcher("loading", "GET")]]) };
  const router = { state: loading };
  vi.stubGlobal("__remixRouter", router);
  const before = times.dataLoadedAt("routes/chat");
  await new Promise((resolve) => setTimeout(resolve, 2));
  const loadChat = async () => void (await fetch("/chat.data?_routes=routes%2Fchat"));
  await loadChat();
  expect(times.dataLoadedAt("routes/chat")).toBe(before);

  for (const busy of [
    { navigation: { state: "loading" } },
    { revalidation: "loading" },
    { fetchers: new Map([["more", fetcher("loading")], ["form", fetcher("loading", "POST")]]) },
  ]) {
    router.state = { ...loading, ...busy };
    const loaded = times.dataLoadedAt("routes/chat");
    await new Promise((resolve) => setTimeout(resolve, 2));
    await loadChat();
    expect(times.dataLoadedAt("routes/chat"), JSON.stringify(busy)).toBeGreaterThan(loaded);
  }
});

test("a load that failed (a navigation cancelled by another) is taken back: it brought no data", async () => {
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    if (String(input).includes("cancelled")) throw new DOMException("The user aborted a request.", "AbortError");
    return new Response("ok");
  });
  vi.resetModules();
  module = await import("./submission-origin.js");
  const times = await import("./load-times.js");
  module.tagSubmissions();
  await fetch("/chat.data?_routes=routes%2Fchat");
  const loaded = times.dataLoadedAt("routes/chat");
  await new Promise((resolve) => setTimeout(resolve, 2));
  await expect(fetch("/chat.data?cancelled&_routes=routes%2Fchat")).rejects.toThrow("aborted");
  expect(times.dataLoadedAt("routes/chat")).toBe(loaded);
});

test("wrapping happens once, however many live routes mount", async () => {
  module.tagSubmissions();
  await fetch("/chat.data", { method: "POST", body: "x" });
  expect(sent).toHaveLength(1);
  expect(sent[0]!.headers.get(ORIGIN_HEADER)).not.toBeNull();
});

test("the echo of a submission Remix did not revalidate after (an action error) is not covered", async () => {
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(new URL(String(input), "http://app.test/"), init));
    return new Response("boom", { status: 500 });
  });
  vi.resetModules();
  module = await import("./submission-origin.js");
  module.tagSubmissions();
  await fetch("/chat?_data=routes%2Fchat", { method: "POST", body: "x" });
  expect(module.isCoveredEcho(sent[0]!.headers.get(ORIGIN_HEADER)!, "routes/chat")).toBe(false);
});

test("nor is the echo of a submission that was cancelled, whatever loads after: its action may still be running", async () => {
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(new URL(String(input), "http://app.test/"), init));
    if (init?.method === "POST") throw new DOMException("The user aborted a request.", "AbortError");
    return new Response("ok");
  });
  vi.resetModules();
  module = await import("./submission-origin.js");
  module.tagSubmissions();
  await expect(fetch("/chat.data", { method: "POST", body: "x" })).rejects.toThrow("aborted");
  await new Promise((resolve) => setTimeout(resolve, 2));
  await fetch("/chat.data?_routes=routes%2Fchat");
  expect(module.isCoveredEcho(sent[0]!.headers.get(ORIGIN_HEADER)!, "routes/chat")).toBe(false);
});

test("nor is the echo of a submission still waiting for its answer, whatever was loaded meanwhile: the action may emit later", async () => {
  const answers: Array<(response: Response) => void> = [];
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(new Request(new URL(String(input), "http://app.test/"), init));
    return new Promise<Response>((resolve) => answers.push(resolve));
  });
  vi.resetModules();
  module = await import("./submission-origin.js");
  module.tagSubmissions();
  const submission = fetch("/chat.data", { method: "POST", body: "x" });
  const origin = sent[0]!.headers.get(ORIGIN_HEADER)!;
  void fetch("/chat.data?_routes=routes%2Fchat");
  expect(module.isCoveredEcho(origin, "routes/chat")).toBe(false);
  // Times are in milliseconds: the answer comes in a later one.
  await new Promise((resolve) => setTimeout(resolve, 2));
  answers[0]!(new Response("ok"));
  await submission;
  expect(module.isCoveredEcho(origin, "routes/chat")).toBe(false);
  void fetch("/chat.data?_routes=routes%2Fchat");
  expect(module.isCoveredEcho(origin, "routes/chat")).toBe(true);
});

test("a plain fetch POST (not a Remix data request) carries no id, so no Remix submission ending meanwhile can cover its echo", async () => {
  await fetch("/api/thing", { method: "POST", body: "y" });
  await fetch("/chat", { method: "POST", body: "a form posted without JavaScript goes through no fetch; this is a plain one" });
  expect(sent.map((request) => request.headers.get(ORIGIN_HEADER))).toEqual([null, null]);
});

test("a URL fetch() cannot parse goes to fetch() untouched, which reports it", async () => {
  await expect(fetch("http://[bad", { method: "POST" })).rejects.toThrow();
});
