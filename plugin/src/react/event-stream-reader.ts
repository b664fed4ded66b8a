/**
 * Reads a remix-live event stream with `fetch`, not `EventSource`: it sees the response's status
 * and `Retry-After`, and every line the server sends, heartbeat comments included, so a stream
 * that has gone silent (a laptop that slept, a socket a phone dropped) can be told from an idle one.
 *
 *   response headers, every chunk   -> on()                       (activity)
 *   event: routes\ndata: {...}      -> on("routes", "{...}")
 *   data: chat\norigin: k3j9x2      -> on("message", "chat", "k3j9x2"): caused by that submission
 *
 * Resolves when the stream ends or is refused, with the delay the server asked for (`Retry-After`,
 * in ms) if it did; rejects when the request fails.
 */
export type StreamListener = (event?: string, data?: string, origin?: string) => void;

export async function readEventStream(url: string, signal: AbortSignal, on: StreamListener): Promise<number | undefined> {
  const response = await fetch(url, { headers: { Accept: "text/event-stream" }, cache: "no-store", signal });
  if (!response.ok || !response.headers.get("Content-Type")?.startsWith("text/event-stream")) {
    void response.body?.cancel().catch(() => {});
    const seconds = Number(response.headers.get("Retry-After"));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
  }
  on();
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    on();
    const blocks = (buffer + value).split("\n\n");
    buffer = blocks.pop()!;
    for (const block of blocks) {
      // `name: value` lines; comments (`: heartbeat`) have no name.
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        const colon = line.indexOf(": ");
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
      }
      if (fields.data) on(fields.event ?? "message", fields.data, fields.origin);
    }
  }
}
