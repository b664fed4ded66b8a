import { createMemoryTransport, type Transport } from "../transport.js";
import { createPostgresTransport } from "./postgres.js";
import { createRedisTransport } from "./redis.js";

/**
 * The transport a URL names: `redis://` or `rediss://` for Redis, `postgres://` or
 * `postgresql://` for PostgreSQL, nothing (or `memory:`) for this process only.
 */
export function createTransportFromUrl(url: string | undefined): Transport {
  if (!url || url === "memory:") return createMemoryTransport();
  const scheme = url.slice(0, url.indexOf(":")).toLowerCase();
  if (scheme === "redis" || scheme === "rediss") return createRedisTransport(url);
  if (scheme === "postgres" || scheme === "postgresql") return createPostgresTransport(url);
  throw new Error(
    `[remix-live] REMIX_LIVE_URL must start with redis://, rediss://, postgres:// or postgresql://, or be empty for one process; got "${scheme}:".`,
  );
}
