import { LiveHub } from "./hub.js";

// Vite's dev server re-evaluates server modules after edits, and an app may load this package
// twice (from the generated stream routes and from its own code). The hub lives on globalThis so
// that every copy emits to and subscribes on the same streams.
const KEY = Symbol.for("remix-live.hub.v1");
type Holder = { [KEY]?: LiveHub };

/** The process-wide hub, created on first use. */
export function getHub(): LiveHub {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new LiveHub());
}
