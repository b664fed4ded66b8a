import { installGlobals } from "@remix-run/node";
import { describe, expect, test } from "vitest";
import { keepRequestSignalsLinked } from "./request-signal-fix.js";

// Loading remix-live/server installs the fix; remix-serve then installs its own fetch globals.
// With single fetch off those come from @remix-run/web-fetch, whose Request keeps the very signal
// object it is given: Remix's copies of one request then share one signal.
keepRequestSignalsLinked();
const NodeRequest = globalThis.Request;
installGlobals();

describe("with @remix-run/web-fetch's globals (single fetch off)", () => {
  test("the Request class installed after the fix is the one requests are made of", () => {
    const signal = new AbortController().signal;
    const request = new Request("http://localhost/", { signal });
    expect(request).not.toBeInstanceOf(NodeRequest);
    expect(request.signal).toBe(signal);
  });

  test("several Requests built on one signal, as Remix's copies are, do not throw", () => {
    const adapter = new AbortController();
    const first = new Request("http://localhost/chat?index", { signal: adapter.signal });
    const second = new Request("http://localhost/chat", { signal: first.signal });
    const third = new Request("http://localhost/chat", second);
    expect(third.url).toBe("http://localhost/chat");
    adapter.abort();
    expect(third.signal.aborted).toBe(true);
  });
});
