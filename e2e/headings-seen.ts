import type { Page } from "@playwright/test";

/**
 * Records every top-level heading `page` shows from its next load on: an error page (the app's
 * ErrorBoundary, Remix's "Application Error") shows its own, however briefly.
 */
export async function watchHeadings(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { headingsSeen: string[] }).headingsSeen = []);
    new MutationObserver(() => {
      for (const heading of document.querySelectorAll("h1")) if (!seen.includes(heading.textContent ?? "")) seen.push(heading.textContent ?? "");
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { headingsSeen: string[] }).headingsSeen);
}
