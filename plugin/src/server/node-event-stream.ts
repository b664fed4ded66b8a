import { STATUS_CODES, type ServerResponse } from "node:http";
import { DEFAULT_HEARTBEAT_INTERVAL, EVENT_STREAM_HEADERS, refuseNewStream, type EventStreamOptions } from "./event-stream.js";
import { OPEN_FRAME } from "./frames.js";
import { collapsingSubscriber } from "./collapsing-subscriber.js";
import { getHub } from "./singleton.js";

/**
 * The Node counterpart of `createEventStream`: writes the event stream straight to a
 * `ServerResponse`, with no web `ReadableStream` in between, and honours the socket's
 * backpressure: while the client is behind, events wait (one per channel) until the socket drains.
 * The stream ends when the response closes. With `headOnly` (a HEAD request) it sends the headers
 * and ends, without a subscription.
 */
export async function writeEventStream(
  res: ServerResponse,
  channels: readonly string[],
  options: EventStreamOptions & { headOnly?: boolean; prelude?: Uint8Array } = {},
): Promise<void> {
  // The client may have left while a live function ran: subscribing now would never be undone.
  if (res.closed || res.destroyed) return;
  const hub = options.hub ?? getHub();
  const refusal = refuseNewStream(hub, options);
  if (refusal) return sendResponse(res, refusal);
  if (options.headOnly) {
    res.writeHead(200, EVENT_STREAM_HEADERS).end();
    return;
  }

  const queue = collapsingSubscriber(
    (frame) => {
      if (res.writableNeedDrain || res.destroyed || res.writableEnded) return false;
      // Corked around the write, the chunk goes out at once: Node's own cork would wait for a tick,
      // which costs a queued callback per stream per event in a fan-out.
      const socket = res.socket;
      socket?.cork();
      res.write(frame);
      socket?.uncork();
      return true;
    },
    () => res.end(),
  );
  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(OPEN_FRAME);
  if (options.prelude) res.write(options.prelude);
  const unsubscribe = hub.subscribe(channels, queue.subscriber, options.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL);
  res.on("drain", () => queue.flush());
  res.once("close", () => {
    queue.clear();
    unsubscribe();
  });
}

/** Writes a web `Response` (a refusal: a 403, a redirect, a 503) to a Node response. */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    const existing = headers[key];
    headers[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  });
  const body = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(body.length);
  res.writeHead(response.status, response.statusText || STATUS_CODES[response.status], headers);
  res.end(body);
}
