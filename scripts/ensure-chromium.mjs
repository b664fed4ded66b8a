// Makes sure the e2e suite has a Chromium: Playwright's own, else Debian's (installed with apt
// when running as root), else a message saying how to get one.
import { execFileSync } from "node:child_process";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./find-chromium.mjs";

let found = findChromium();
if (!found && process.getuid?.() === 0) {
  console.log("[e2e] No Chromium found: installing Debian's chromium package with apt-get...");
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch (error) {
    console.error(`[e2e] apt-get failed: ${error instanceof Error ? error.message : error}`);
  }
  found = findChromium();
}
if (!found) {
  console.error(HOW_TO_GET_CHROMIUM);
  process.exit(1);
}
console.log(`[e2e] Using ${found.source === "playwright" ? "Playwright's Chromium" : found.executablePath}`);
