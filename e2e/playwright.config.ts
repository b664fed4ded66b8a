import { defineConfig } from "@playwright/test";
import { browserUse } from "./browser";
import { CUSTOM_PORT, DEV_PORT, PROD_PORT, SERVE_PORT, startCommand } from "./servers";

export default defineConfig({
  testDir: "./tests",
  // The tests count streams held by each server, so they must not share it with each other: each
  // project runs its tests one at a time, and two projects (each with servers of its own) run side by side.
  workers: 2,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: "list",
  use: browserUse,
  projects: [
    // Tests named dev-* edit source files, which only the dev server picks up; build-* read the build.
    // scale-* start their own production servers, connected through a broker.
    { name: "dev", workers: 1, use: { baseURL: `http://localhost:${DEV_PORT}` }, testIgnore: /(build|scale|dev-last)-.*\.spec\.ts/ },
    // dev-last-* disturb the dev server's route table: they run once the dev project is done.
    { name: "dev-last", workers: 1, use: { baseURL: `http://localhost:${DEV_PORT}` }, testMatch: /dev-last-.*\.spec\.ts/, dependencies: ["dev"] },
    { name: "build", workers: 1, use: { baseURL: `http://localhost:${PROD_PORT}` }, testIgnore: /(dev|dev-last|scale)-.*\.spec\.ts/ },
    { name: "scale-out", workers: 1, testMatch: /scale-.*\.spec\.ts/ },
    // The same app behind a custom Express server whose streams remix-live serves itself.
    { name: "custom-server", workers: 1, use: { baseURL: `http://localhost:${CUSTOM_PORT}` }, testMatch: /(chat|rooms|notes)\.spec\.ts/ },
    // The same build behind `remix-live-serve` (the playground's `npm start`).
    { name: "serve-command", workers: 1, use: { baseURL: `http://localhost:${SERVE_PORT}` }, testMatch: /(chat|rooms|notes|connection)\.spec\.ts/ },
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
      command: startCommand("serve"),
      url: `http://localhost:${SERVE_PORT}/chat`,
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
