import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";
import { remixLive } from "remix-live/vite";

export default defineConfig({
  plugins: [remixLive(), reactRouter()],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
});
