import { rmSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { editableRoute } from "../editable-route";
import { watchEnd } from "../stream-end";
import { expectFollowers, liveStats } from "./helpers";

// Edits a route file of the running dev server, as a developer would.
const { file, writeRoute, streamStatus } = editableRoute("e2e-editing");

// Removing the file makes Remix drop the route (and any error it left) for the tests that follow,
// once the dev server has seen it go: until then a route that fails to build fails every page.
test.afterAll(async ({ request }) => {
  rmSync(file, { force: true });
  await expect.poll(async () => (await request.get("/chat")).status(), { timeout: 20_000 }).toBe(200);
});

test("adding and removing `export const live` in an existing route takes effect without a restart", async ({ baseURL, page, request }) => {
  writeRoute({ heading: "Not live yet" });
  await expect.poll(async () => (await request.get("/e2e-editing")).status(), { timeout: 20_000 }).toBe(200);
  expect(await streamStatus(baseURL!)).toBe(404);

  writeRoute({ live: `"editing"`, heading: "Live now" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
  await page.goto("/e2e-editing");
  await expect(page.getByRole("heading", { name: "Live now" })).toBeVisible();
  await expectFollowers(request, "editing", 1);

  writeRoute({ heading: "Plain again" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(404);
  await expect(page.getByRole("heading", { name: "Plain again" })).toBeVisible();
  await expectFollowers(request, "editing", 0);
});

test("an edited live function applies to the next stream at once, and the streams already open stay", async ({ baseURL, request }) => {
  writeRoute({ live: `() => "edit-before"`, heading: "A live function" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
  const open = await holdStream(`${baseURL}/e2e-editing/stream`);
  await expectFollowers(request, "edit-before", 1);

  writeRoute({ live: `() => "edit-after"`, heading: "A live function" });
  // Each new stream runs the function as it is now; no stream was dropped, as a restart would have.
  await expect.poll(() => channelsOfNewStream(`${baseURL}/e2e-editing/stream`, request), { timeout: 20_000 }).toContain("edit-after");
  expect((await liveStats(request)).channels["edit-before"]).toBe(1);
  expect(open.ended()).toBe(false);
  open.close();
});

test("an edited channel applies at once: a tab already open comes back following the new one, with no error", async ({ baseURL, page, request }) => {
  writeRoute({ live: `"edit-channel-before"`, heading: "Channels" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/e2e-editing");
  await expectFollowers(request, "edit-channel-before", 1);
  const loadedAt = page.getByLabel("Loaded at");
  const before = await loadedAt.textContent();

  writeRoute({ live: `"edit-channel-after"`, heading: "Channels" });
  await expect.poll(async () => (await liveStats(request)).channels["edit-channel-after"] ?? 0, { timeout: 20_000 }).toBe(1);
  expect((await liveStats(request)).channels["edit-channel-before"] ?? 0).toBe(0);
  await request.post("/debug/emit", { form: { channel: "edit-channel-after" } });
  await expect(loadedAt).not.toHaveText(before!);
  expect(errors).toEqual([]);
});

/** The channels the server follows while one more stream at `url` is open. */
async function channelsOfNewStream(url: string, request: APIRequestContext): Promise<string[]> {
  const next = await holdStream(url);
  const { channels } = await liveStats(request);
  next.close();
  return Object.keys(channels).filter((channel) => channels[channel]! > 0);
}

/** Opens an event stream and holds it until `close()`; `ended()` says whether the server ended it. */
async function holdStream(url: string): Promise<{ close(): void; ended(): boolean }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  await reader.read();
  const end = watchEnd(reader);
  return { close: () => controller.abort(), ended: () => end() === "ended" };
}

test("Fast Refresh keeps a live page's state across an edit", async ({ baseURL, page, request }) => {
  writeRoute({ live: `"editing"`, heading: "Before the edit" });
  // The last test left this route live on another channel: wait until a new stream follows this one.
  await expect.poll(() => channelsOfNewStream(`${baseURL}/e2e-editing/stream`, request), { timeout: 20_000 }).toContain("editing");
  await page.goto("/e2e-editing");
  await expectFollowers(request, "editing", 1);
  let reloaded = false;
  page.on("load", () => (reloaded = true));
  await page.getByLabel("Draft").fill("typed before the edit");

  writeRoute({ live: `"editing"`, heading: "After the edit" });
  await expect(page.getByRole("heading", { name: "After the edit" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel("Draft")).toHaveValue("typed before the edit");
  expect(reloaded).toBe(false);
});

test("a live value that is not a channel name is reported with file, line and what is accepted", async ({ request }) => {
  writeRoute({ live: "42", heading: "Broken" });
  await expect
    .poll(async () => {
      const response = await request.get("/e2e-editing");
      return response.status() === 500 ? await response.text() : "";
    }, { timeout: 20_000 })
    .toMatch(/app\/routes\/e2e-editing\.tsx:2:\d+: `export const live` must be a channel name/);
  const body = await (await request.get("/e2e-editing")).text();
  expect(body).toContain("got the number 42");
});
