import type { Config } from "@react-router/dev/config";

// prepare.ts writes the cell's future flags in place of the placeholder below. The compat
// suite builds the app once more as SPA mode, and once prerendering the chat, to see remix-live
// refuse both.
const variant = process.env.COMPAT_ROUTER_CONFIG;
export default {
  ssr: variant !== "spa",
  // Elsewhere than the cell's own build, which its server serves meanwhile.
  ...(variant ? { buildDirectory: `build-${variant}` } : {}),
  ...(variant === "prerender" ? { prerender: ["/", "/chat"] } : {}),
  future: ROUTER_FUTURE_FLAGS,
} satisfies Config;
