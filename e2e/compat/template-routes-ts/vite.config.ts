import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixLive } from "remix-live/vite";
import { liveOptions } from "./live-options";

// Routes come from app/routes.ts (future.v3_routeConfig): no preset, withLiveRoutes() there instead.
export default defineConfig({
  plugins: [remixLive(liveOptions), remix({ future: { ...FUTURE_FLAGS, v3_routeConfig: true } })],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
});
