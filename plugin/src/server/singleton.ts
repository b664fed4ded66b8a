import { LiveHub } from "./hub.js";
import { createMemoryTransport, type Transport } from "./transport.js";
import { createTransportFromUrl } from "./transports/from-url.js";

// Vite's dev server re-evaluates server modules after edits, and an app may load this package
// twice (from the generated stream routes and from its own code). The hub lives on globalThis so
// that every copy emits to and subscribes on the same streams.
const KEY = Symbol.for("remix-live.hub.v1");
type Holder = { [KEY]?: LiveHub };

/**
 * The process-wide hub, created on first use with the transport `REMIX_LIVE_URL` names (this
 * process only when it is unset). A URL it cannot use is reported once, and the hub serves this
 * process only: a configuration mistake must not fail requests.
 */
export function getHub(): LiveHub {
  const holder = globalThis as Holder;
  const existing = holder[KEY];
  if (existing) return existing;
  let transport: Transport;
  try {
    // Once shutting down, a hub asked for again (by a late request) must not open broker connections
    // that would keep the process alive.
    transport = createTransportFromUrl(isShuttingDown() ? undefined : process.env.REMIX_LIVE_URL, "REMIX_LIVE_URL");
  } catch (error) {
    console.error(`${(error as Error).message} Live updates stay within this process.`);
    transport = createMemoryTransport();
  }
  const hub = new LiveHub(transport);
  holder[KEY] = hub;
  closeOnShutdown();
  return hub;
}

/** The process-wide hub if one exists, without creating it. */
export function peekHub(): LiveHub | undefined {
  return (globalThis as Holder)[KEY];
}

/**
 * Connects to the broker `REMIX_LIVE_URL` names as soon as the server (or a script) loads
 * remix-live, rather than at the first emit or stream: an emit made right after start then waits
 * the shortest time, and a missing client package or a bad URL is reported at start.
 */
export function connectFromEnvironment(): void {
  if (typeof process !== "undefined" && process.env?.REMIX_LIVE_URL) getHub();
}

const SHUTDOWN_HOOK = Symbol.for("remix-live.shutdown-hook");
const SHUTTING_DOWN = Symbol.for("remix-live.shutting-down");

/**
 * Whether the process got SIGTERM or SIGINT. Browsers reconnect a closed stream within a second,
 * over the keep-alive connection they already hold; a server that accepted those streams would
 * never finish its graceful close, so new streams are refused from then on.
 */
export function isShuttingDown(): boolean {
  return (globalThis as { [SHUTTING_DOWN]?: true })[SHUTTING_DOWN] === true;
}

/**
 * Open event streams never end by themselves, so a server that closes gracefully on SIGTERM
 * (remix-serve calls `server.close()`) would wait for them forever, and broker connections would
 * keep the process alive. On SIGTERM or SIGINT the streams and connections are closed. When
 * nothing else handles the signal, it is raised again afterwards, so the process ends as it
 * would have without this listener.
 */
function closeOnShutdown(): void {
  const holder = globalThis as { [SHUTDOWN_HOOK]?: true };
  if (holder[SHUTDOWN_HOOK] || typeof process?.prependOnceListener !== "function") return;
  holder[SHUTDOWN_HOOK] = true;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    // First in line: the server's own one-time listener (remix-serve's `server.close()`), added
    // before the first stream opened, must still be there when this one looks for it.
    process.prependOnceListener(signal, () => {
      (globalThis as { [SHUTTING_DOWN]?: true })[SHUTTING_DOWN] = true;
      const handledElsewhere = process.listenerCount(signal) > 0;
      void closeLive().finally(() => {
        if (!handledElsewhere) process.kill(process.pid, signal);
      });
    });
  }
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

/**
 * Ends every stream and closes the broker connections: call it when the server shuts down, or at
 * the end of a script that emits. Emits still on their way to the broker get up to
 * `flushTimeout` milliseconds (default 5000) to go through first.
 */
export async function closeLive(options: { flushTimeout?: number } = {}): Promise<void> {
  const holder = globalThis as Holder;
  const hub = holder[KEY];
  delete holder[KEY];
  await hub?.close(options);
}
