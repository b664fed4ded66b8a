import { compilePath } from "../server/stream-route-table.js";

/** React Router's resolved config (on the Vite config as `__reactRouterPluginContext.reactRouterConfig`), the parts read here. */
export interface ReactRouterConfig {
  ssr?: boolean;
  prerender?: unknown;
}

/**
 * React Router's `ssr: false` leaves no server for the streams, and a prerendered page (and its
 * `.data`) is a static file that its revalidations get back unchanged: a live route in either
 * would never update. (A `prerender` function's paths are known only once it runs, in the build.)
 */
export function checkReactRouterConfig(liveUrls: ReadonlyArray<readonly [file: string, url: string]>, config: ReactRouterConfig): void {
  const file = liveUrls[0]?.[0];
  if (file === undefined) return;
  if (config.ssr === false) {
    throw new Error(
      `remix-live needs a server: ${file} exports \`live\`, but react-router.config.ts sets \`ssr: false\` (SPA mode), which has none to serve its stream. ` +
        "Remove `ssr: false` or remove remix-live.",
    );
  }
  // `prerender` is `true`, a list of paths, a function, or `{ paths, concurrency }` with one of those.
  const setting = typeof config.prerender === "object" && config.prerender !== null && "paths" in config.prerender ? config.prerender.paths : config.prerender;
  const prerendered = setting === true ? null : Array.isArray(setting) ? setting.filter((path): path is string => typeof path === "string") : undefined;
  if (prerendered === undefined) return;
  for (const [file, url] of liveUrls) {
    // `true` prerenders every URL without params.
    const path = prerendered === null ? (url.includes(":") ? undefined : url) : prerendered.find((candidate) => compilePath(url).pattern.test(candidate));
    if (path === undefined) continue;
    throw new Error(
      `remix-live: ${file} exports \`live\`, but react-router.config.ts prerenders ${path}: the page and its data become static files, ` +
        `which its revalidations get back unchanged, so it would never update. Leave ${path} out of \`prerender\` (list the paths to prerender instead of \`true\`).`,
    );
  }
}
