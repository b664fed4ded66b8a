/**
 * Reads a remix-live event stream with `fetch`, not `EventSource`: it sees the response's status
 * and `Retry-After`, and every line the server sends, heartbeat comments included, so a stream
 * that has gone silent (a laptop that slept, a socket a phone dropped) can be told from an idle one.
 *
 *   : connected / : heartbeat     -> onActivity()
 *   event: routes\ndata: {...}    -> onRoutes(routes, heartbeat)
 *   data: chat                    -> onEvent("chat")
 *   data: chat\norigin: k3j9x2    -> onEvent("chat", "k3j9x2"): caused by that submission
 */
export interface StreamHandlers {
  /** Anything arrived: the response's headers, an event, a heartbeat. */
  onActivity(): void;
  onRoutes(routes: Record<string, string[] | number>, heartbeatMs: number): void;
  onEvent(channel: string, origin?: string): void;
}

/** How a read ended: the server closed it, it failed, or it was refused (`status`, `retryAfter` in ms). */
export type StreamEnd = { refused: false } | { refused: true; status: number; retryAfter: number | null };

export async function readEventStream(url: string, signal: AbortSignal, handlers: StreamHandlers): Promise<StreamEnd> {
  const response = await fetch(url, { headers: { Accept: "text/event-stream" }, credentials: "same-origin", cache: "no-store", signal });
  if (!response.ok || !response.body || !response.headers.get("Content-Type")?.startsWith("text/event-stream")) {
    void response.body?.cancel().catch(() => {});
    const seconds = Number(response.headers.get("Retry-After"));
    return { refused: true, status: response.status, retryAfter: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null };
  }
  handlers.onActivity();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { refused: false };
    handlers.onActivity();
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      dispatch(buffer.slice(0, end), handlers);
      buffer = buffer.slice(end + 2);
    }
  }
}

function dispatch(block: string, handlers: StreamHandlers): void {
  let event = "message";
  let data = "";
  let origin: string | undefined;
  for (const line of block.split("\n")) {
    if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data = line.slice(6);
    else if (line.startsWith("origin: ")) origin = line.slice(8);
  }
  if (!data) return;
  if (event === "routes") {
    const { routes, heartbeat } = JSON.parse(data) as { routes: Record<string, string[] | number>; heartbeat: number };
    handlers.onRoutes(routes, heartbeat);
  } else if (event === "message") handlers.onEvent(data, origin);
}
