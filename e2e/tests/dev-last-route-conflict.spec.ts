import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { editableRoute } from "../editable-route";
import { PLAYGROUND } from "../servers";

// Runs after every other dev-server test (project "dev-last"): adding and removing route files in
// quick succession can leave Remix's own route table behind for a moment, which must not disturb
// the tests of the app itself.
const { file, writeRoute, streamStatus } = editableRoute("e2e-conflict");
const conflicting = path.join(PLAYGROUND, "app/routes/e2e-conflict.stream.tsx");

test.afterAll(() => {
  rmSync(conflicting, { force: true });
  rmSync(file, { force: true });
});

test("a route added at a live route's stream URL while the dev server runs is reported, and the server keeps running", async ({ baseURL, request }) => {
  writeRoute({ live: `"conflict"`, heading: "Live" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
  writeFileSync(conflicting, `export function loader() { return new Response("mine"); }\n`);
  // Remix rescans on the new file from a watcher callback: a conflict thrown there would end the
  // dev server. It is reported instead, and the server keeps answering.
  await expect.poll(async () => (await request.get("/e2e-conflict")).status(), { timeout: 20_000 }).toBe(200);
  expect((await request.get("/chat")).status()).toBe(200);
});
