import { afterAll, expect, test, vi } from "vitest";
import { closeLive, getHub } from "./singleton.js";

afterAll(() => closeLive());

test("a REMIX_LIVE_URL that names no broker is reported once, and emits still reach this process's streams", () => {
  process.env.REMIX_LIVE_URL = "amqp://guest:secret@127.0.0.1:5672";
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  const hub = getHub();
  const events: string[] = [];
  hub.subscribe(["chat"], { event: (channel) => events.push(channel), heartbeat: () => {} }, 0);
  expect(() => hub.emit("chat")).not.toThrow();
  hub.emit("chat");
  expect(events).toEqual(["chat", "chat"]);
  expect(error).toHaveBeenCalledTimes(1);
  const line = String(error.mock.calls[0]?.[0]);
  expect(line).toMatch(/^\[remix-live\] REMIX_LIVE_URL must look like redis:\/\/host:6379, .* got "amqp:"\. Live updates stay within this process\.$/);
  expect(line).not.toContain("secret");
});

test("reading the numbers opens no hub: after closeLive() a script's stats() connects to nothing and the process can end", async () => {
  const { emitter } = await import("./emit.js");
  const { peekHub } = await import("./singleton.js");
  await closeLive();
  expect(emitter.stats()).toEqual({ streams: 0, channels: {}, failedEmits: 0, pendingEmits: 0 });
  expect(peekHub()).toBeUndefined();
});
