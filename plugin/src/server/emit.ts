import cluster from "node:cluster";
import { currentEmitOrigin } from "./emit-origin.js";
import { getHub, peekHub } from "./singleton.js";
import type { LiveHub } from "./hub.js";

/**
 * Tells every page following `channel` to re-run its loaders. Call it after the change is
 * committed. It returns at once and never throws because of a stream or a broker; a malformed
 * channel name throws a `TypeError`.
 */
export function emit(channel: string): void {
  const hub = getHub();
  if (hub.local && !warnedWorkerAlone && cluster.isWorker) {
    warnedWorkerAlone = true;
    console.warn(
      "[remix-live] this process is a cluster worker (node:cluster, or PM2's cluster mode) with no broker, so an emit reaches " +
        "the streams of this worker only: tabs whose stream another worker holds miss it. Set REMIX_LIVE_URL to a Redis or " +
        "PostgreSQL server all workers share (see Scaling out in remix-live's README).",
    );
  }
  hub.emit(channel, currentEmitOrigin());
}

let warnedWorkerAlone = false;

/**
 * The process-wide hub, under the name the original demo used: `emitter.emit("chat")`.
 * It survives Vite re-evaluating modules in dev.
 */
export const emitter: Pick<LiveHub, "emit" | "subscribe" | "stats"> = {
  emit,
  subscribe: (...args) => getHub().subscribe(...args),
  // Reading the numbers must not open broker connections (after closeLive(), in a script that is ending).
  stats: () => peekHub()?.stats() ?? { streams: 0, channels: {}, failedEmits: 0, pendingEmits: 0 },
};
