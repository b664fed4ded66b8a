import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PLAYGROUND } from "../servers";
import { expectFollowers } from "./helpers";

// Edits a route file of the running dev server, as a developer would.
const file = path.join(PLAYGROUND, "app/routes/e2e-editing.tsx");

function writeRoute({ live, heading }: { live?: string; heading: string }) {
  writeFileSync(
    file,
    [
      `import { useState } from "react";`,
      live === undefined ? "" : `export const live = ${live};`,
      `export function loader() { return { at: Date.now() }; }`,
      `export default function Editing() {`,
      `  const [draft, setDraft] = useState("");`,
      `  return (<main><h1>${heading}</h1><input aria-label="Draft" value={draft} onChange={(e) => setDraft(e.target.value)} /></main>);`,
      `}`,
      ``,
    ].join("\n"),
  );
}

/** The status of `/e2e-editing/stream`, without waiting for the stream to end. */
async function streamStatus(baseURL: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`${baseURL}/e2e-editing/stream`, { signal: controller.signal });
  const live = response.headers.get("content-type")?.startsWith("text/event-stream");
  controller.abort();
  return live ? response.status : response.status === 200 ? -1 : response.status;
}

const conflicting = path.join(PLAYGROUND, "app/routes/e2e-editing.stream.tsx");

// Removing the files makes Remix drop the routes (and any error they left) for the tests that follow.
test.afterAll(() => {
  rmSync(conflicting, { force: true });
  rmSync(file, { force: true });
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

test("Fast Refresh keeps a live page's state across an edit", async ({ baseURL, page, request }) => {
  writeRoute({ live: `"editing"`, heading: "Before the edit" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
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

test("a route added at a live route's stream URL while the dev server runs is reported, and the server keeps running", async ({ baseURL, request }) => {
  writeRoute({ live: `"editing"`, heading: "Live" });
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
  writeFileSync(conflicting, `export function loader() { return new Response("mine"); }\n`);
  // Remix rescans on the new file; the conflict must not take the dev server down.
  await expect.poll(async () => (await request.get("/chat")).status(), { timeout: 20_000 }).toBe(200);
  rmSync(conflicting);
  await expect.poll(() => streamStatus(baseURL!), { timeout: 20_000 }).toBe(200);
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
