// Which Chromium the e2e suite drives: Playwright's own build when it is installed, else the
// distribution's package. Playwright cannot download its browsers on every machine.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** @returns {{ executablePath: string | undefined, source: "playwright" | "system" } | null} */
export function findChromium() {
  try {
    const { chromium } = require("playwright-core");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return { executablePath: undefined, source: "playwright" };
  } catch {
    // playwright-core not installed yet: fall through to the system browser.
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, source: "system" };
  return null;
}

/** Root cannot use Chromium's sandbox; a closed network makes background requests fail noisily. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const HOW_TO_GET_CHROMIUM =
  "No Chromium for the e2e tests. Install one of:\n" +
  "  - Playwright's own build: npx playwright install chromium\n" +
  `  - Debian's package (as root): apt-get install -y chromium   (gives ${SYSTEM_CHROMIUM})`;
