import { expect, type APIRequestContext, type Page } from "@playwright/test";

export interface LiveStats {
  streams: number;
  channels: Record<string, number>;
}

export async function liveStats(request: APIRequestContext): Promise<LiveStats> {
  const response = await request.get("/live-stats");
  expect(response.ok()).toBe(true);
  return (await response.json()) as LiveStats;
}

/** Waits until the server holds exactly `count` streams on `channel`. */
export async function expectFollowers(request: APIRequestContext, channel: string, count: number): Promise<void> {
  await expect.poll(async () => (await liveStats(request)).channels[channel] ?? 0, { timeout: 10_000 }).toBe(count);
}

/** Posts a new chat message from outside any browser (to `base`, or the project's server) and returns its text. */
export async function postToChat(request: APIRequestContext, label: string, base = ""): Promise<string> {
  const text = uniqueText(label);
  expect((await request.post(`${base}/chat`, { form: { author: "script", message: text } })).ok()).toBe(true);
  return text;
}

/** A message text no other test or run uses. */
export function uniqueText(label: string): string {
  return `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function openChat(page: Page): Promise<void> {
  await page.goto("/chat");
  // Remix has hydrated once the page's scripts ran; the injected hook then opens the stream.
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

export function messageList(page: Page) {
  return page.getByRole("list", { name: "Messages" });
}

export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

export { startStreamCutter, type StreamCutter } from "../stream-cutter";
export { revalidationsOf, SETTLED_AFTER_MS, type Revalidations } from "../revalidations";
