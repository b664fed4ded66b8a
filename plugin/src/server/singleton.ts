import { LiveHub } from "./hub.js";
import type { Transport } from "./transport.js";
import { createTransportFromUrl } from "./transports/from-url.js";

// Vite's dev server re-evaluates server modules after edits, and an app may load this package
// twice (from the generated stream routes and from its own code). The hub lives on globalThis so
// that every copy emits to and subscribes on the same streams.
const KEY = Symbol.for("remix-live.hub.v1");
type Holder = { [KEY]?: LiveHub };

/**
 * The process-wide hub, created on first use with the transport `REMIX_LIVE_URL` names (this
 * process only when it is unset).
 */
export function getHub(): LiveHub {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new LiveHub(createTransportFromUrl(process.env.REMIX_LIVE_URL)));
}

export interface LiveConfig {
  /**
   * How emits reach other processes: a transport, or a URL (`redis://...`, `postgres://...`).
   * @default process.env.REMIX_LIVE_URL, else this process only
   */
  transport?: Transport | string;
}

/**
 * Configures the process-wide hub in code, instead of (or overriding) `REMIX_LIVE_URL`. Call it at
 * server start; calling it later moves open streams to the new transport, and they revalidate once.
 */
export async function configureLive(config: LiveConfig): Promise<void> {
  if (config.transport === undefined) return;
  const transport = typeof config.transport === "string" ? createTransportFromUrl(config.transport) : config.transport;
  await getHub().setTransport(transport);
}

/** Ends every stream and closes the broker connections: call it when the server shuts down. */
export async function closeLive(): Promise<void> {
  const holder = globalThis as Holder;
  const hub = holder[KEY];
  delete holder[KEY];
  await hub?.close();
}
