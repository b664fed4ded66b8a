import { defineConfig } from "@playwright/test";
import { findChromium, HOW_TO_GET_CHROMIUM } from "../scripts/find-chromium.mjs";
import { CUSTOM_PORT, DEV_PORT, PROD_PORT, startCommand } from "./servers";

const chromium = findChromium() as { executablePath: string | undefined } | null;
if (!chromium) throw new Error(HOW_TO_GET_CHROMIUM);

export default defineConfig({
  testDir: "./tests",
  // The tests count streams held by each server, so they must not share it with each other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: "list",
  use: {
    // Tracing keeps reading response bodies after a page closes, which holds event streams open
    // on the server and would hide (or fake) listener leaks. Screenshots are enough.
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium.executablePath,
      // Root cannot use Chromium's sandbox; a closed network makes background requests fail noisily.
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    // Tests named dev-* edit source files, which only the dev server picks up; build-* read the build.
    // scale-* start their own production servers, connected through a broker.
    { name: "dev", use: { baseURL: `http://localhost:${DEV_PORT}` }, testIgnore: /(build|scale|dev-last)-.*\.spec\.ts/ },
    // dev-last-* disturb the dev server's route table: they run once the dev project is done.
    { name: "dev-last", use: { baseURL: `http://localhost:${DEV_PORT}` }, testMatch: /dev-last-.*\.spec\.ts/, dependencies: ["dev"] },
    { name: "build", use: { baseURL: `http://localhost:${PROD_PORT}` }, testIgnore: /(dev|dev-last|scale)-.*\.spec\.ts/ },
    { name: "scale-out", testMatch: /scale-.*\.spec\.ts/ },
    // The same app behind a custom Express server whose streams remix-live serves itself.
    { name: "custom-server", use: { baseURL: `http://localhost:${CUSTOM_PORT}` }, testMatch: /(chat|rooms|notes)\.spec\.ts/ },
  ],
  webServer: [
    {
      command: startCommand("dev"),
      url: `http://localhost:${DEV_PORT}/chat`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: process.env.E2E_SERVER_LOGS ? "pipe" : "ignore",
    },
    {
      command: startCommand("build"),
      url: `http://localhost:${PROD_PORT}/chat`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: process.env.E2E_SERVER_LOGS ? "pipe" : "ignore",
    },
    {
      command: startCommand("custom"),
      url: `http://localhost:${CUSTOM_PORT}/chat`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: process.env.E2E_SERVER_LOGS ? "pipe" : "ignore",
    },
  ],
});
