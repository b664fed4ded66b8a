import type { PlaywrightTestOptions, PlaywrightWorkerOptions } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium, HOW_TO_GET_CHROMIUM } from "../scripts/find-chromium.mjs";

const chromium = findChromium() as { executablePath: string | undefined } | null;
if (!chromium) throw new Error(HOW_TO_GET_CHROMIUM);

/** How every suite here drives Chromium: Playwright's own, else Debian's, as root, offline. */
export const browserUse: Partial<PlaywrightTestOptions & PlaywrightWorkerOptions> = {
  // Tracing keeps reading response bodies after a page closes, which holds event streams open
  // on the server and would hide (or fake) listener leaks. Screenshots are enough.
  trace: "off",
  screenshot: "only-on-failure",
  launchOptions: {
    executablePath: chromium.executablePath,
    args: CHROMIUM_ARGS,
  },
};
