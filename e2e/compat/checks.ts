import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

/** The chat, at `/chat` or at another URL its module is mounted at (`/lounge`). */
export async function openChat(page: Page, base: string, at = "/chat"): Promise<void> {
  await page.goto(`${base}${at}`);
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  // Hydrated: the injected hook has opened the stream.
  await waitForRouter(page);
}

/** The app's index page, hydrated, in a browser context of its own. */
export async function openHome(browser: Browser, base: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/`);
  await waitForRouter(page);
  return page;
}

/** The page has hydrated: Remix's router, or React Router's, is there. */
async function waitForRouter(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const globals = window as { __remixRouter?: unknown; __reactRouterDataRouter?: unknown };
    return globals.__remixRouter !== undefined || globals.__reactRouterDataRouter !== undefined;
  });
}

/** The chat page's display of `useLiveStatus()`. */
export function liveStatus(page: Page) {
  return page.getByRole("status", { name: "Live updates" });
}

export function messageList(page: Page) {
  return page.getByRole("list", { name: "Messages" });
}

/** Posts a chat message to the app at `base` from outside any browser. */
export async function postMessage(request: APIRequestContext, base: string, text: string): Promise<void> {
  expect((await request.post(`${base}/chat`, { form: { message: text } })).ok()).toBe(true);
}

export async function postFrom(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** A stream's status and headers; the connection is closed as soon as they arrive. */
export async function streamHead(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  controller.abort();
  return { status: response.status, headers: response.headers };
}

/** How often each loader of the rooms pages ran in the cell's server. */
export async function loaderRuns(base: string): Promise<Record<string, number>> {
  return (await (await fetch(`${base}/loader-runs`)).json()) as Record<string, number>;
}

/** What the cell's server holds: its open streams, and streams per channel. */
export async function liveStats(base: string): Promise<{ streams: number; channels: Record<string, number> }> {
  return (await (await fetch(`${base}/live-stats`)).json()) as { streams: number; channels: Record<string, number> };
}
