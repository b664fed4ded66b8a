import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixLive } from "remix-live/vite";

const live = remixLive();

export default defineConfig({
  plugins: [
    live,
    remix({
      presets: [live.preset],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
});
