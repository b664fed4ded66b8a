import { afterEach, expect, test } from "vitest";
import { ORIGIN_HEADER } from "../shared/emit-origin.js";
import { emit } from "./emit.js";
import { withEmitOrigin } from "./emit-origin.js";
import { getHub } from "./singleton.js";

let unsubscribe = () => {};
afterEach(() => unsubscribe());

/** The frames a stream following `channel` receives, as text. */
function follow(channel: string): string[] {
  const frames: string[] = [];
  unsubscribe = getHub().subscribe([channel], { event: (_, frame) => frames.push(new TextDecoder().decode(frame)), heartbeat: () => {} }, 0);
  return frames;
}

const post = (headers: Record<string, string> = {}) => ({ request: new Request("http://app.test/chat", { method: "POST", headers }) });

test("emits made while an action runs carry the origin its request sent; emits after it has returned carry none", async () => {
  const frames = follow("chat");
  let later: Promise<void> = Promise.resolve();
  const action = withEmitOrigin(async ({ request }: { request: Request }) => {
    emit("chat");
    await new Promise((resolve) => setTimeout(resolve, 5));
    emit("chat"); // after an await, still the same submission
    later = new Promise((resolve) => setTimeout(() => resolve(emit("chat")), 20)); // a job the action started
    return request.method;
  });
  expect(await action(post({ [ORIGIN_HEADER]: "k3j9x2ab" }))).toBe("POST");
  await later;
  expect(frames).toEqual(["data: chat\norigin: k3j9x2ab\n\n", "data: chat\norigin: k3j9x2ab\n\n", "data: chat\n\n"]);
});

test("a request without the header, or with a malformed one, emits untagged events", async () => {
  const frames = follow("chat");
  const action = withEmitOrigin(() => emit("chat"));
  await action(post());
  await action(post({ [ORIGIN_HEADER]: "../../etc/passwd" }));
  expect(frames).toEqual(["data: chat\n\n", "data: chat\n\n"]);
});

test("an action that throws still throws, and leaves later emits untagged", async () => {
  const frames = follow("chat");
  const failure = new Response("nope", { status: 400 });
  const action = withEmitOrigin(() => {
    throw failure;
  });
  await expect(action(post({ [ORIGIN_HEADER]: "k3j9x2ab" }))).rejects.toBe(failure);
  emit("chat");
  expect(frames).toEqual(["data: chat\n\n"]);
});
