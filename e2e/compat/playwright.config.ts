import { defineConfig } from "@playwright/test";
import { browserUse } from "../browser";

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
  use: browserUse,
});
