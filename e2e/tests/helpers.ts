import net from "node:net";
import { expect, type APIRequestContext, type Page, type Request } from "@playwright/test";

export interface LiveStats {
  streams: number;
  channels: Record<string, number>;
}

export async function liveStats(request: APIRequestContext): Promise<LiveStats> {
  const response = await request.get("/live-stats");
  expect(response.ok()).toBe(true);
  return (await response.json()) as LiveStats;
}

/** Waits until the server holds exactly `count` streams on `channel`. */
export async function expectFollowers(request: APIRequestContext, channel: string, count: number): Promise<void> {
  await expect.poll(async () => (await liveStats(request)).channels[channel] ?? 0, { timeout: 10_000 }).toBe(count);
}

/** Posts a new chat message from outside any browser (to `base`, or the project's server) and returns its text. */
export async function postToChat(request: APIRequestContext, label: string, base = ""): Promise<string> {
  const text = uniqueText(label);
  expect((await request.post(`${base}/chat`, { form: { author: "script", message: text } })).ok()).toBe(true);
  return text;
}

/** A message text no other test or run uses. */
export function uniqueText(label: string): string {
  return `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function openChat(page: Page): Promise<void> {
  await page.goto("/chat");
  // Remix has hydrated once the page's scripts ran; the injected hook then opens the stream.
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled();
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

export function messageList(page: Page) {
  return page.getByRole("list", { name: "Messages" });
}

export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

/**
 * A TCP proxy in front of the server at `target`, through which a browser loads the app, that can
 * cut the connections carrying `GET <streamPath>...` (a path, or the start of one with its query) as a
 * flaky network or a load balancer would:
 * both the browser and the server see the connection close. While cut, every new request for that
 * stream is cut too, so the stream stays down until `restore()`; all other traffic (pages, data
 * requests, Vite's HMR socket) passes untouched. `hold()` keeps what the server sends on those
 * streams back, as a slow network would, until `release()`.
 */
export interface StreamCutter {
  /** The proxy's origin, e.g. `http://localhost:41234`. */
  url: string;
  cut(): void;
  restore(): void;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startStreamCutter(target: string, streamPath: string): Promise<StreamCutter> {
  const { hostname, port } = new URL(target);
  const requestLine = `GET ${streamPath}`;
  const streams = new Set<net.Socket>();
  const open = new Set<net.Socket>();
  let cutting = false;
  let held: Array<[net.Socket, Buffer]> | null = null;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
      streams.delete(client);
      open.delete(client);
    };
    open.add(client);
    client.on("data", (chunk: Buffer) => {
      if (chunk.toString("latin1").includes(requestLine)) {
        if (cutting) return end();
        streams.add(client);
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The data requests a page made for revalidations, and how many of them have been answered. */
export type Revalidations = Array<string | null> & { answered: number };

/**
 * The revalidations `page` makes of the page at `path`: the `_routes` of each data request (`null`
 * when every loader of the page ran for it), counted when it is sent. `answered` counts those whose
 * answer has been read (or that failed): their loaders ran before anything that happens next.
 */
export function revalidationsOf(page: Page, path: string): Revalidations {
  let answered = 0;
  // Not enumerable, so `toEqual` compares the routes only.
  const seen = Object.defineProperty([] as Array<string | null>, "answered", { get: () => answered }) as Revalidations;
  const isRevalidation = (request: Request) => {
    const url = new URL(request.url());
    return request.method() === "GET" && url.pathname === `${path}.data`;
  };
  page.on("request", (request) => {
    if (isRevalidation(request)) seen.push(new URL(request.url()).searchParams.get("_routes"));
  });
  const answer = (request: Request) => {
    if (isRevalidation(request)) answered += 1;
  };
  page.on("requestfinished", answer);
  page.on("requestfailed", answer);
  return seen;
}
