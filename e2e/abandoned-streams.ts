import net from "node:net";

/**
 * Asks the server at `base` for the event stream at `path` `count` times, each time leaving after
 * 0 to 9 ms, as a tab closed (or a page left) just as it opened its stream does: the request may
 * reach the app only after its client is gone. Resolves once every connection has closed.
 */
export async function abandonStreams(base: string, path: string, count: number): Promise<void> {
  const { hostname, port } = new URL(base);
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
        setTimeout(() => socket.destroy(), i % 10);
      });
      socket.on("close", () => resolve());
    });
  }
}
