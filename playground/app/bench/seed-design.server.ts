import { EventEmitter } from "node:events";

// The original demo's server design, kept for `npm run bench` to measure against: one
// EventEmitter for the process, one listener and one hand-made event stream per connection, an
// event encoded once per connection, no heartbeat and no guard against writing to a closed stream.

const holder = globalThis as { __seedEmitter?: EventEmitter };
export const seedEmitter = (holder.__seedEmitter ??= new EventEmitter());

export function seedEventStream(request: Request, eventName: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = () => controller.enqueue(encoder.encode(`event: ${eventName}\ndata: ${Date.now()}\n\n`));
      seedEmitter.on(eventName, send);
      request.signal.addEventListener("abort", () => {
        seedEmitter.off(eventName, send);
        controller.close();
      });
    },
  });
  return new Response(body, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" },
  });
}
