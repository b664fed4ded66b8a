/**
 * The bytes of the remix-live stream format (a subset of Server-Sent Events):
 *
 *   retry: 1000        once, first: how long the browser waits before reconnecting
 *   : connected        once, first: flushes headers through proxies that wait for a body
 *   data: chat         one per emit: "the channel `chat` changed"; no payload, ever
 *   origin: k3j9x2     after `data`, when a tab's submission caused the emit: that submission's
 *                      id, so the tab can tell its own echo (EventSource ignores the field)
 *   : heartbeat        while idle: keeps load balancers from cutting the connection
 *
 * The shared stream (one per browser, for several live routes) adds, once after the open frame:
 *
 *   event: routes      the heartbeat interval, and what each requested route follows: its
 *                      channels, or the HTTP status that refused it
 *   data: {"heartbeat":15000,"routes":{"/chat/stream":["chat"],"/private/stream":403}}
 *                      and, for the routes the client asked about, how many ms ago their channels
 *                      last changed (`"changed":{"/chat/stream":120}`: see shared-stream.ts)
 *
 * Events carry only the channel name, so any event may be dropped or merged with the next one
 * without losing anything: the client re-runs its loaders either way.
 */
const encoder = new TextEncoder();

const RECONNECT_DELAY_MS = 1_000;
export const OPEN_FRAME: Uint8Array = encoder.encode(`retry: ${RECONNECT_DELAY_MS}\n: connected\n\n`);
export const HEARTBEAT_FRAME: Uint8Array = encoder.encode(": heartbeat\n\n");

export function encodeEventFrame(channel: string, origin?: string): Uint8Array {
  return encoder.encode(origin ? `data: ${channel}\norigin: ${origin}\n\n` : `data: ${channel}\n\n`);
}

/**
 * The shared stream's first event (see above); `heartbeat` (ms) lets the client tell a dead stream
 * from an idle one; `changed` says how many ms ago the channels of each route the client asked
 * about last changed.
 */
export function encodeRoutesFrame(
  routes: Readonly<Record<string, readonly string[] | number>>,
  heartbeat: number,
  changed: Readonly<Record<string, number>> = {},
): Uint8Array {
  const first = Object.keys(changed).length ? { heartbeat, routes, changed } : { heartbeat, routes };
  return encoder.encode(`event: routes\ndata: ${JSON.stringify(first)}\n\n`);
}
