import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PLAYGROUND } from "../servers";
import { liveStats } from "./helpers";

// The playground's only live route with a URL param (rooms.$roomId.tsx) decides its channels in a
// live function, so remix-live's own check of params filled into a channel template needs a route
// of its own: written here, as a developer would, while the dev server runs. It adds a route to the
// shared dev server's table, hence "dev-last".
const file = path.join(PLAYGROUND, "app/routes/e2e-item.$itemId.tsx");

test.afterAll(() => rmSync(file, { force: true }));

/** The status of a stream URL, and its body unless it is an event stream (which is left open no longer than that). */
async function get(baseURL: string, pathname: string): Promise<{ status: number; body: string }> {
  const controller = new AbortController();
  const response = await fetch(`${baseURL}${pathname}`, { signal: controller.signal });
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    controller.abort();
    return { status: response.status, body: "(event stream)" };
  }
  return { status: response.status, body: await response.text() };
}

function itemChannels(channels: Record<string, number>): string[] {
  return Object.keys(channels).filter((channel) => channel.startsWith("item:"));
}

test("a stream URL whose param makes no valid channel name gets a 400 from remix-live and subscribes nothing", async ({ baseURL, request }) => {
  writeFileSync(
    file,
    [
      `export const live = "item:$itemId";`,
      `export function loader() { return null; }`,
      `export default function Item() { return <h1>Item</h1>; }`,
      ``,
    ].join("\n"),
  );
  // The URLs below match the generated stream route: a valid id gets its event stream.
  await expect.poll(async () => (await get(baseURL!, "/e2e-item/1/stream")).status, { timeout: 20_000 }).toBe(200);
  // "item:" and 195 characters make a name of 200, the longest allowed.
  expect(await get(baseURL!, `/e2e-item/${"x".repeat(195)}/stream`)).toEqual({ status: 200, body: "(event stream)" });
  await expect.poll(async () => itemChannels((await liveStats(request)).channels), { timeout: 10_000 }).toEqual([]);

  const refusal = { status: 400, body: "Bad Request: the URL does not name a valid channel." };
  for (const itemId of ["x".repeat(196), "a%20b", "%3Cscript%3E", "1%0A%0Adata%3A%20x", "caf%C3%A9"]) {
    expect(await get(baseURL!, `/e2e-item/${itemId}/stream`), itemId).toEqual(refusal);
  }
  expect(itemChannels((await liveStats(request)).channels)).toEqual([]);
});
