import { STATUS_CODES, type ServerResponse } from "node:http";
import { DEFAULT_HEARTBEAT_INTERVAL, EVENT_STREAM_HEADERS, refuseNewStream, type EventStreamOptions } from "./event-stream.js";
import { OPEN_FRAME } from "./frames.js";
import { collapsingSubscriber } from "./collapsing-subscriber.js";
import type { LiveHub } from "./hub.js";
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
  options: EventStreamOptions & { headOnly?: boolean; prelude?: (hub: LiveHub) => Uint8Array } = {},
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

  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.write(OPEN_FRAME);
  // Once the headers are out, frames go straight to the socket, already framed for the response
  // (an HTTP/1.1 chunk, encoded once per event for every stream): a fan-out then costs one socket
  // write per stream, without the response's own bookkeeping around each.
  const socket = res.chunkedEncoding && res.socket ? res.socket : null;
  const target = socket ?? res;
  const encode = socket ? asChunk : (frame: Uint8Array) => frame;
  const queue = collapsingSubscriber(
    (frame) => {
      if (target.writableNeedDrain || target.destroyed || res.writableEnded) return false;
      target.write(encode(frame));
      return true;
    },
    () => res.end(),
  );
  const unsubscribe = hub.subscribe(channels, queue.subscriber, options.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL);
  // Written in this same tick, before any event can be.
  if (options.prelude) res.write(options.prelude(hub));
  const flush = () => queue.flush();
  target.on("drain", flush);
  res.once("close", () => {
    queue.clear();
    unsubscribe();
    // A socket kept alive for another request must not keep this stream's listener.
    socket?.off("drain", flush);
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

let lastFrame: Uint8Array | undefined;
let lastChunk: Buffer | undefined;

/** `frame` as one chunk of a chunked HTTP/1.1 body; the last one is remembered, as a fan-out asks for the same frame for every stream. */
function asChunk(frame: Uint8Array): Buffer {
  if (frame !== lastFrame) {
    lastFrame = frame;
    lastChunk = Buffer.concat([Buffer.from(`${frame.length.toString(16)}\r\n`), frame, Buffer.from("\r\n")]);
  }
  return lastChunk!;
}
