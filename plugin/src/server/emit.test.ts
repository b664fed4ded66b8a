import { expect, test, vi } from "vitest";

test("emit, emitter and createEventStream share one hub, even after modules are evaluated again", async () => {
  const first = await import("./index.js");
  vi.resetModules();
  // What Vite's dev server does after an edit: a fresh copy of every server module.
  const second = await import("./index.js");
  expect(second.emitter).not.toBe(first.emitter);

  const reader = first.createEventStream(new Request("http://localhost/chat/stream"), "emit-test").body!.getReader();
  await reader.read();
  expect(second.emitter.stats().channels["emit-test"]).toBe(1);
  second.emit("emit-test");
  expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: emit-test\n\n");
  await reader.cancel();
  expect(first.getHub().stats().channels["emit-test"]).toBeUndefined();
});
