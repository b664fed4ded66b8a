// remix-live-serve <server-build-path>: remix-serve (or react-router-serve) with live streams served ahead of Remix.
import { serveApp } from "./serve-app.js";

const buildPath = process.argv[2];
if (!buildPath) {
  console.error("\n  Usage: remix-live-serve <server-build-path> - e.g. remix-live-serve build/server/index.js");
  process.exit(1);
}
serveApp({ buildPath }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
