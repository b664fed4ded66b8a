import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEV_PORT = 5391;
export const PROD_PORT = 5392;
export const CUSTOM_PORT = 5397;
export const SERVE_PORT = 5398;
export const PLAYGROUND = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../playground");

/**
 * Starts the playground in `remix vite:dev`, behind `remix-serve`, behind its custom Express
 * server with remix-live's stream handler, or behind `remix-live-serve` (its `npm start`; build
 * first), each on a fresh database.
 */
export function startCommand(mode: "dev" | "build" | "custom" | "serve"): string {
  const db = path.join(PLAYGROUND, "data", `e2e-${mode}.db`);
  const server =
    mode === "dev"
      ? `npx remix vite:dev --port ${DEV_PORT} --strictPort`
      : mode === "build"
        ? `PORT=${PROD_PORT} npx remix-serve ./build/server/index.js`
        : mode === "serve"
          ? `PORT=${SERVE_PORT} npx remix-live-serve ./build/server/index.js`
          : `PORT=${CUSTOM_PORT} node server.mjs`;
  return `cd ${PLAYGROUND} && rm -f ${db} ${db}-wal ${db}-shm && DATABASE_PATH=${db} ${server}`;
}
