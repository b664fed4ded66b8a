import { createMemoryTransport, type Transport } from "../transport.js";
import { createPostgresTransport } from "./postgres.js";
import { createRedisTransport } from "./redis.js";

/**
 * The transport a URL names: `redis://` or `rediss://` for Redis, `postgres://` or
 * `postgresql://` for PostgreSQL, nothing (or `memory:`) for this process only.
 */
export function createTransportFromUrl(url: string | undefined, name = "the broker URL"): Transport {
  if (!url || url === "memory:") return createMemoryTransport();
  let scheme: string | undefined;
  try {
    scheme = new URL(url).protocol.slice(0, -1).toLowerCase();
  } catch {
    // Not a URL at all: said below, without echoing what may hold a password.
  }
  if (scheme === "redis" || scheme === "rediss") return createRedisTransport(url);
  if (scheme === "postgres" || scheme === "postgresql") return createPostgresTransport(url);
  throw new Error(
    `[remix-live] ${name} must look like redis://host:6379, rediss://..., postgres://user@host/db or postgresql://..., ` +
      `or be empty for one process; got ${scheme ? `"${scheme}:"` : "something that is not a URL"}.`,
  );
}
