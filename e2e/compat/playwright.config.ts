import { defineConfig } from "@playwright/test";
import { findChromium, HOW_TO_GET_CHROMIUM } from "../../scripts/find-chromium.mjs";

const chromium = findChromium() as { executablePath: string | undefined } | null;
if (!chromium) throw new Error(HOW_TO_GET_CHROMIUM);

// The compatibility matrix: fresh apps from template/, one server per cell on a port of its own,
// so cells run side by side (a cell's own tests run in order, against its one server).
export default defineConfig({
  testDir: ".",
  globalSetup: "./prepare.ts",
  workers: 2,
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: "list",
  use: {
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium.executablePath,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
