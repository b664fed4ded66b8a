export { useLiveLoader, type UseLiveLoaderOptions } from "./use-live-loader.js";
export { useLiveRoute, useLiveStatus, useLiveStream } from "./use-live-route.js";
export type { LiveStatus } from "./shared-connection.js";
export { liveShouldRevalidate } from "./live-targets.js";
