import { assertChannelName } from "../shared/channel-name.js";
import { OPEN_FRAME } from "./frames.js";
import { collapsingSubscriber } from "./collapsing-subscriber.js";
import type { LiveHub } from "./hub.js";
import { runLateCloseListeners } from "./late-close-fix.js";
import { keepRequestSignalsLinked } from "./request-signal-fix.js";
import { connectFromEnvironment, getHub, isShuttingDown } from "./singleton.js";

// What loading remix-live/server does (this module is its one with side effects, see package.json):
// Requests created from now on keep their abort chain alive, a response that closed before its
// server listened for that still aborts its request, and the broker that REMIX_LIVE_URL names
// starts connecting.
keepRequestSignalsLinked();
runLateCloseListeners();
connectFromEnvironment();

export interface EventStreamOptions {
  /**
   * Milliseconds between heartbeat comments on an idle stream; `0` sends none. Keep it below
   * the idle timeout of every proxy in front of the app (AWS ALB: 60 s).
   * @default 15000
   */
  heartbeatInterval?: number;
  /**
   * Open streams this process accepts; past it, new streams are answered with 503 and
   * `Retry-After`, and open ones are unaffected. Each idle stream costs a few kilobytes and a socket.
   * @default 50000
   */
  maxStreams?: number;
  /** The hub to follow. @default the process-wide hub that `emit()` uses */
  hub?: LiveHub;
}

export const DEFAULT_HEARTBEAT_INTERVAL = 15_000;
export const DEFAULT_MAX_STREAMS = 50_000;
/** Seconds a refused client is asked to wait; browsers' EventSource retries on its own schedule. */
const RETRY_AFTER_SECONDS = 5;

export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform keeps compression middleware (remix-serve's among them) from holding events.
  "Cache-Control": "no-cache, no-transform",
  // nginx buffers proxied responses unless told not to.
  "X-Accel-Buffering": "no",
};

/**
 * The answer to a stream URL requested with a method other than GET or HEAD: a stream can only be
 * read. Generated stream routes export it as their `action`, so Remix answers quietly too.
 */
export function refuseStreamMethod(): Response {
  return new Response("Method Not Allowed: an event stream answers GET and HEAD only.", {
    status: 405,
    headers: { "Content-Type": "text/plain", Allow: "GET, HEAD", "Cache-Control": "no-store" },
  });
}

/**
 * The 503 that answers a new stream when the process holds `maxStreams` already, or is shutting
 * down (the browser then reconnects to another instance), else null.
 */
export function refuseNewStream(hub: LiveHub, options: EventStreamOptions): Response | null {
  const shuttingDown = isShuttingDown();
  if (!shuttingDown && hub.streamCount < (options.maxStreams ?? DEFAULT_MAX_STREAMS)) return null;
  return new Response(`Service Unavailable: ${shuttingDown ? "the server is shutting down" : "too many open event streams"}.`, {
    status: 503,
    headers: {
      "Content-Type": "text/plain",
      "Retry-After": String(RETRY_AFTER_SECONDS),
      "Cache-Control": "no-store",
      ...(shuttingDown ? { Connection: "close" } : {}),
    },
  });
}

/**
 * A `text/event-stream` response that sends an event each time `emit()` is called for one of
 * `channels`, until the client goes away (`request.signal` aborts) or stops reading (the
 * stream is cancelled).
 *
 * A client that reads slowly never makes the server buffer more than one event per channel: events
 * that arrive while its queue is full collapse into one, sent when it reads again.
 *
 * A HEAD request gets the headers and no subscription: servers drop a HEAD response's body without
 * cancelling it, so a stream opened for one would never be released.
 */
export function createEventStream(
  request: Request,
  channels: string | readonly string[],
  options: EventStreamOptions = {},
): Response {
  return openEventStream(request, channels, options);
}

/**
 * `createEventStream`, with a prelude sent right after the open frame (the shared stream's route
 * table), asked for once the stream is subscribed.
 */
export function openEventStream(
  request: Request,
  channels: string | readonly string[],
  options: EventStreamOptions,
  prelude?: (hub: LiveHub) => Uint8Array,
): Response {
  const list = typeof channels === "string" ? [channels] : [...channels];
  for (const channel of list) assertChannelName(channel, "createEventStream()");
  const hub = options.hub ?? getHub();
  const heartbeatMs = options.heartbeatInterval ?? DEFAULT_HEARTBEAT_INTERVAL;
  const refusal = refuseNewStream(hub, options);
  if (refusal) return refusal;
  if (request.method === "HEAD") return new Response(null, { headers: EVENT_STREAM_HEADERS });

  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let unsubscribe = () => {};

  const close = () => {
    if (closed) return;
    closed = true;
    queue.clear();
    unsubscribe();
    request.signal.removeEventListener("abort", close);
    try {
      controller.close();
    } catch {
      // Already closed or errored by the reader: nothing left to release.
    }
  };

  const queue = collapsingSubscriber((frame) => {
    if (closed || (controller.desiredSize ?? 0) <= 0) return false;
    try {
      controller.enqueue(frame);
      return true;
    } catch {
      close();
      return false;
    }
  }, close);

  const body = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        if (request.signal.aborted) {
          closed = true;
          streamController.close();
          return;
        }
        streamController.enqueue(OPEN_FRAME);
        request.signal.addEventListener("abort", close, { once: true });
        unsubscribe = hub.subscribe(list, queue.subscriber, heartbeatMs);
        if (prelude) streamController.enqueue(prelude(hub));
      },
      pull: () => queue.flush(),
      cancel: close,
    },
    // Room for the open frame (and prelude) and one event; everything past that waits in `queue`, collapsed.
    { highWaterMark: prelude ? 3 : 2 },
  );

  return new Response(body, { headers: EVENT_STREAM_HEADERS });
}
