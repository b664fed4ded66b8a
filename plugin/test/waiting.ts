import type { Subscriber } from "../src/server/index.js";

/** A subscriber that records the channels of the events it receives. */
export function recorder(): Subscriber & { events: string[] } {
  const events: string[] = [];
  return { events, event: (channel) => events.push(channel), heartbeat: () => {} };
}

/** Polls `condition` (running `poke` between tries) until it holds or the deadline passes. */
export async function until(condition: () => boolean, what: string | (() => string), poke?: () => void): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === "string" ? what : what()}`);
    poke?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
