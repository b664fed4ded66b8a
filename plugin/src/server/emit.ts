import { currentEmitOrigin } from "./emit-origin.js";
import { getHub, peekHub } from "./singleton.js";
import type { LiveHub } from "./hub.js";

/**
 * Tells every page following `channel` to re-run its loaders. Call it after the change is
 * committed. It returns at once and never throws because of a stream or a broker; a malformed
 * channel name throws a `TypeError`.
 */
export function emit(channel: string): void {
  getHub().emit(channel, currentEmitOrigin());
}

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
