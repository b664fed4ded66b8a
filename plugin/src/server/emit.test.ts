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

test("configureLive moves the process-wide hub to another transport, and closeLive releases it", async () => {
  const { closeLive, configureLive, emit, getHub } = await import("./index.js");
  const published: string[] = [];
  let closed = false;
  await configureLive({
    transport: {
      start() {},
      publish: (channel) => void published.push(channel),
      subscribe() {},
      unsubscribe() {},
      close: async () => void (closed = true),
    },
  });
  emit("configured");
  expect(published).toEqual(["configured"]);
  const hub = getHub();
  await closeLive();
  expect(closed).toBe(true);
  expect(getHub()).not.toBe(hub);
});

test("REMIX_LIVE_URL with an unknown scheme is a clear error", async () => {
  const { createTransportFromUrl } = await import("./index.js");
  expect(() => createTransportFromUrl("amqp://127.0.0.1")).toThrow(/must look like redis:\/\/host:6379, rediss:\/\/..., postgres:\/\/user@host\/db or postgresql:\/\//);
  expect(() => createTransportFromUrl("")).not.toThrow();
});
