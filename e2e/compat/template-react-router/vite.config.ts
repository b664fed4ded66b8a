import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";
import { remixLive } from "remix-live/vite";
import { liveOptions } from "./live-options";

export default defineConfig({
  plugins: [remixLive(liveOptions), reactRouter()],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
});
