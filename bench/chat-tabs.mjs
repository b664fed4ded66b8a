// What the browser benchmarks share: Chromium, tabs on the playground's /chat, a watch for a
// message in a tab's page, and a form posted to the app.
import { createRequire } from "node:module";
import { CHROMIUM_ARGS, findChromium, HOW_TO_GET_CHROMIUM } from "../scripts/find-chromium.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

export function launchChromium() {
  const found = findChromium();
  if (!found) throw new Error(HOW_TO_GET_CHROMIUM);
  return chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
}

/** Opens `count` tabs of `context` on `${origin}/chat`, each with its CPU slowed `cpuSlowdown` times, once each says it is live. */
export async function openChatTabs(context, origin, count, cpuSlowdown) {
  const tabs = [];
  for (let i = 0; i < count; i++) {
    const tab = await context.newPage();
    if (cpuSlowdown > 1) await (await context.newCDPSession(tab)).send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
    await tab.goto(`${origin}/chat`);
    await tab.getByRole("status", { name: "Live updates" }).getByText("Live").waitFor();
    tabs.push(tab);
  }
  return tabs;
}

/**
 * Starts watching `page` for `text` and resolves once the watch is in place; the watch's promise
 * (kept in the page) resolves with the page's `Date.now()` when `text` shows, the same clock as
 * this process's, or null after `lostAfter` ms.
 */
export async function watchFor(page, text, lostAfter) {
  await page.evaluate(
    ([wanted, lostAfter]) => {
      window.__benchShown = new Promise((resolve) => {
        const observer = new MutationObserver(() => document.body.innerText.includes(wanted) && (observer.disconnect(), resolve(Date.now())));
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        setTimeout(() => (observer.disconnect(), resolve(null)), lostAfter);
      });
    },
    [text, lostAfter],
  );
  return () => page.evaluate(() => window.__benchShown);
}

/** Posts `form` to `${origin}${path}` as a browser's form would; throws unless it is answered with success. */
export async function postForm(origin, path, form) {
  const response = await fetch(`${origin}${path}`, { method: "POST", body: new URLSearchParams(form) });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
}
