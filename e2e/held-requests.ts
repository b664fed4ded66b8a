import type { Page, Request } from "@playwright/test";

/**
 * Holds back the requests of `page` that `which` picks, as a slow network would, until `release()`:
 * `asked` resolves once the first of them was made.
 */
export async function holdRequests(page: Page, which: (request: Request) => boolean): Promise<{ asked: Promise<void>; release(): void }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked!: () => void;
  const first = new Promise<void>((resolve) => (asked = resolve));
  await page.route("**/*", async (route) => {
    if (which(route.request())) {
      asked();
      await held;
    }
    await route.continue();
  });
  return { asked: first, release };
}

/** The browser's one live stream, for every live route of the app. */
export const SHARED_STREAM = "/__remix-live/stream";

export const isLiveStream = (request: Request) => new URL(request.url()).pathname.endsWith(SHARED_STREAM);
