import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixLive } from "remix-live/vite";
import { liveOptions } from "./live-options";

const live = remixLive(liveOptions);

export default defineConfig({
  plugins: [
    live,
    remix({
      presets: [live.preset],
      future: FUTURE_FLAGS,
      // The chat's module a second time, at another URL, as its own route.
      routes: (defineRoutes) => defineRoutes((route) => void route("lounge", "routes/chat.tsx", { id: "lounge" })),
    }),
  ],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
});
