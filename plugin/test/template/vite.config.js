import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixLive } from "remix-live/vite";
import { routes } from "./routes.config.js";

const live = remixLive();

export default defineConfig({
  logLevel: "warn",
  plugins: [live, remix({ presets: [live.preset], ...(routes ? { routes } : {}) })],
});
