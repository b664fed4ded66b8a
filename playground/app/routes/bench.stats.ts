import { json } from "@remix-run/node";
import { emitter } from "remix-live/server";
import { seedEmitter } from "~/bench/seed-design.server";

// Memory after a full collection when the process runs with --expose-gc (the benchmark's does).
export function loader() {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return json(
    { rss, heapUsed, liveStreams: emitter.stats().streams, seedListeners: seedEmitter.listenerCount("bench") },
    { headers: { "Cache-Control": "no-store" } },
  );
}
