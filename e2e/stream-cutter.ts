import net from "node:net";

/**
 * A TCP proxy in front of the server at `target`, through which a browser loads the app, that can
 * cut the connections carrying `GET <streamPath>...` (a path, or the start of one with its query) as a
 * flaky network or a load balancer would:
 * both the browser and the server see the connection close. While cut, every new request for that
 * stream is cut too, so the stream stays down until `restore()`; all other traffic (pages, data
 * requests, Vite's HMR socket) passes untouched. `hold()` keeps what the server sends on those
 * streams back, as a slow network would, until `release()`. `silence()` makes the streams open now
 * go quiet for good, as a socket does after a laptop slept or a phone dropped it in the background:
 * both ends keep the connection, and nothing the server sends arrives any more.
 */
export interface StreamCutter {
  /** The proxy's origin, e.g. `http://localhost:41234`. */
  url: string;
  cut(): void;
  restore(): void;
  hold(): void;
  release(): void;
  silence(): void;
  /** How many requests for the stream came through. */
  streamsOpened(): number;
  close(): Promise<void>;
}

export async function startStreamCutter(target: string, streamPath: string): Promise<StreamCutter> {
  const { hostname, port } = new URL(target);
  const requestLine = `GET ${streamPath}`;
  const streams = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  let cutting = false;
  let held: Array<[net.Socket, Buffer]> | null = null;
  const silenced = new Set<net.Socket>();
  let opened = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
      streams.delete(client);
      silenced.delete(client);
      open.delete(client);
    };
    open.add(client);
    client.on("data", (chunk: Buffer) => {
      if (chunk.toString("latin1").includes(requestLine)) {
        if (cutting) return end();
        streams.add(client);
        opened++;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (silenced.has(client)) return;
      if (held && streams.has(client)) held.push([client, chunk]);
      else client.write(chunk);
    });
    // Either side closing closes the other, so the server sees the browser go away and vice versa.
    for (const socket of [client, upstream]) {
      socket.on("error", end);
      socket.on("close", end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  return {
    url: `http://localhost:${proxyPort}`,
    cut() {
      cutting = true;
      for (const socket of streams) socket.destroy();
    },
    restore() {
      cutting = false;
    },
    hold() {
      held = [];
    },
    release() {
      const chunks = held ?? [];
      held = null;
      for (const [socket, chunk] of chunks) if (!socket.destroyed) socket.write(chunk);
    },
    silence() {
      for (const socket of streams) silenced.add(socket);
    },
    streamsOpened: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
