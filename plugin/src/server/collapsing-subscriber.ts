import type { Subscriber } from "./hub.js";

/**
 * The subscriber both stream writers share. Frames go to `write` while it accepts them; while it
 * does not (the client is behind), events wait, one per channel: repeats collapse, since the client
 * re-runs its loaders once either way. `flush()` sends what waits once `write` accepts again.
 */
export function collapsingSubscriber(
  write: (frame: Uint8Array) => boolean,
  close: () => void,
): { subscriber: Subscriber; flush(): void; clear(): void } {
  const pending = new Map<string, Uint8Array>();
  return {
    subscriber: {
      event(channel, frame) {
        if (pending.size > 0 || !write(frame)) pending.set(channel, frame);
      },
      // A client that is behind has data on the way already; a heartbeat adds nothing.
      heartbeat: (frame) => void write(frame),
      close,
    },
    flush() {
      for (const [channel, frame] of pending) {
        if (!write(frame)) break;
        pending.delete(channel);
      }
    },
    clear: () => pending.clear(),
  };
}
