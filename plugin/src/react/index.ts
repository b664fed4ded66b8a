export { useLiveLoader, type UseLiveLoaderOptions } from "./use-live-loader.js";
export { useLiveRoute, useLiveStream } from "./use-live-route.js";
