/** One event of a stream, as a client reads it: its `event:` name (message when none), its data, and remix-live's `origin:` field. */
export interface StreamEvent {
  event: string;
  data: string;
  origin?: string;
}

export interface EventStreamLog {
  status: number;
  /** Every event read so far, in order; comments (heartbeats) left out. */
  events: StreamEvent[];
  close(): void;
}

/** Opens `url` as a client of the stream would and records its events in the background until closed. */
export async function logEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamLog> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: StreamEvent[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = response.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const fields = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          const value = (name: string) => fields.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          const data = value("data");
          const origin = value("origin");
          if (data !== undefined) events.push({ event: value("event") ?? "message", data, ...(origin && { origin }) });
        }
      }
    } catch {
      // Closed by close(), or by the server.
    }
  })();
  return { status: response.status, events, close: () => controller.abort() };
}
