import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createLiveStreamHandler, LiveHub, type ServerBuildRoutes } from "../src/server/index.js";

// A server build as Remix produces it, reduced to what the handler reads: the generated stream
// routes export `remixLiveStream` (see codegen/stream-route.ts).
function buildWith(hub: LiveHub, maxStreams?: number): ServerBuildRoutes {
  const options = { heartbeatInterval: 0, hub, ...(maxStreams ? { maxStreams } : {}) };
  return {
    basename: "/",
    routes: {
      root: { id: "root", path: "", module: {} },
      "routes/rooms.$roomId": { id: "routes/rooms.$roomId", parentId: "root", path: "rooms/:roomId", module: {} },
      "remix-live/routes/rooms.$roomId": {
        id: "remix-live/routes/rooms.$roomId",
        parentId: "root",
        path: "rooms/:roomId/stream",
        module: { remixLiveStream: { live: ["room:$roomId"], options } },
      },
      "remix-live/routes/inbox": {
        id: "remix-live/routes/inbox",
        parentId: "root",
        path: "inbox/stream",
        module: {
          remixLiveStream: {
            live: ({ request }: { request: Request }) => {
              const user = /user=(\w+)/.exec(request.headers.get("cookie") ?? "")?.[1];
              if (!user) throw new Response("Forbidden", { status: 403 });
              return `inbox:${user}`;
            },
            options,
          },
        },
      },
      "remix-live/routes/broken": {
        id: "remix-live/routes/broken",
        parentId: "root",
        path: "broken/stream",
        module: {
          remixLiveStream: {
            live: () => {
              throw new Error("database is down");
            },
            options: { ...options, route: "app/routes/broken.tsx" },
          },
        },
      },
      "remix-live/shared": {
        id: "remix-live/shared",
        parentId: "root",
        path: "__remix-live/stream",
        module: { remixLiveShared: { routes: [], options } },
      },
      "remix-live/routes/odd": {
        id: "remix-live/routes/odd",
        parentId: "root",
        path: "odd/stream",
        module: { remixLiveStream: { live: () => 42, options: { ...options, route: "app/routes/odd.tsx" } } },
      },
    },
  };
}

// React Router's RouterContextProvider and createContext, as its middleware and loaders use them.
class RouterContextProvider {
  #values = new Map<object, unknown>();
  get(key: { defaultValue?: unknown }): unknown {
    if (this.#values.has(key)) return this.#values.get(key);
    if (key.defaultValue !== undefined) return key.defaultValue;
    throw new Error("No value found for context");
  }
  set(key: object, value: unknown): void {
    this.#values.set(key, value);
  }
}
const userContext = { defaultValue: undefined };

/**
 * A React Router build with middleware on: the root reads the user from a cookie into the
 * context, a pathless layout sends strangers to /login, and a live function below it follows
 * the user's inbox.
 */
function routerBuildWith(hub: LiveHub, future: Record<string, unknown>): ServerBuildRoutes {
  const options = { heartbeatInterval: 0, hub, route: "app/routes/inbox.tsx", contextProvider: RouterContextProvider };
  const ran: string[] = [];
  type Args = { request: Request; context: RouterContextProvider };
  return Object.assign(
    {
      basename: "/",
      future,
      routes: {
        root: {
          id: "root",
          path: "",
          module: {
            middleware: [
              async ({ request, context }: Args, next: () => Promise<Response>) => {
                ran.push("root");
                context.set(userContext, /user=(\w+)/.exec(request.headers.get("cookie") ?? "")?.[1] ?? null);
                const response = await next();
                ran.push("root after");
                return response;
              },
            ],
          },
        },
        "routes/_members": {
          id: "routes/_members",
          parentId: "root",
          module: {
            middleware: [
              ({ context }: Args) => {
                ran.push("members");
                if (!context.get(userContext)) throw new Response(null, { status: 302, headers: { Location: "/login" } });
              },
            ],
          },
        },
        "routes/_members.inbox": { id: "routes/_members.inbox", parentId: "routes/_members", path: "inbox", module: {} },
        "remix-live/routes/_members.inbox": {
          id: "remix-live/routes/_members.inbox",
          parentId: "root",
          path: "inbox/stream",
          module: { remixLiveStream: { live: ({ context }: Args) => `inbox:${context.get(userContext)}`, options } },
        },
        "routes/news": { id: "routes/news", parentId: "root", path: "news", module: {} },
        "remix-live/routes/news": { id: "remix-live/routes/news", parentId: "root", path: "news/stream", module: { remixLiveStream: { live: ["news"], options } } },
        "remix-live": {
          id: "remix-live",
          parentId: "root",
          path: "__remix-live/stream",
          module: { remixLiveShared: { routes: [], options } },
        },
      },
    },
    { ran },
  );
}

const servers: http.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.destroy());
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(build: ServerBuildRoutes): Promise<{ port: number; responses: Map<number, http.ServerResponse> }> {
  const handler = createLiveStreamHandler({ build: () => build });
  const responses = new Map<number, http.ServerResponse>();
  const server = http.createServer((req, res) => {
    responses.set(req.socket.remotePort!, res);
    handler(req, res, () => res.writeHead(404).end("not a stream"));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, responses };
}

/** A raw client: everything it receives, and how many events. */
function client(port: number, path: string, headers = "", { paused = false, method = "GET" } = {}) {
  const socket = net.connect({ host: "127.0.0.1", port });
  sockets.push(socket);
  const state = { text: "", events: 0, socket };
  socket.on("connect", () => {
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
    if (paused) socket.pause();
  });
  socket.on("data", (chunk: Buffer) => {
    const text = chunk.toString("latin1");
    if (state.text.length < 4096) state.text += text;
    state.events += text.split("data: ").length - 1;
  });
  return state;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe("createLiveStreamHandler", () => {
  test("serves a generated stream route with its params filled, and passes other requests on", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const room = client(port, "/rooms/7/stream");
    await until(() => room.text.includes(": connected"), "the open frame");
    expect(room.text).toMatch(/^HTTP\/1\.1 200/);
    expect(room.text.toLowerCase()).toContain("content-type: text/event-stream");
    expect(hub.stats().channels).toEqual({ "room:7": 1 });
    hub.emit("room:8");
    hub.emit("room:7");
    await until(() => room.events === 1, "the room's event");
    expect(room.text).toContain("data: room:7\n\n");

    const page = client(port, "/rooms/7");
    await until(() => page.text.includes("not a stream"), "the page request to reach next()");
  });

  test("a live function decides with the request's cookies, and its thrown Response is the answer", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const stranger = client(port, "/inbox/stream");
    await until(() => stranger.text.includes("\r\n\r\nForbidden"), "the refusal");
    expect(stranger.text).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    const ada = client(port, "/inbox/stream", "Cookie: user=ada\r\n");
    // The server subscribes, then writes the headers: wait for both.
    await until(() => hub.stats().channels["inbox:ada"] === 1 && ada.text.includes("\r\n\r\n"), "ada's subscription and headers");
    expect(ada.text).toMatch(/^HTTP\/1\.1 200/);
  });

  test("a param that makes no channel name is a 400, and the cap a 503 with Retry-After", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub, 1));
    const bad = client(port, `/rooms/${"x".repeat(300)}/stream`);
    await until(() => bad.text.includes("\r\n\r\n"), "the answer");
    expect(bad.text).toMatch(/^HTTP\/1\.1 400/);
    client(port, "/rooms/1/stream");
    await until(() => hub.stats().streams === 1, "the first stream");
    const refused = client(port, "/rooms/1/stream");
    await until(() => refused.text.includes("\r\n\r\n"), "the refusal");
    expect(refused.text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(refused.text.toLowerCase()).toContain("retry-after: 5");
  });

  test("a live function that throws, or returns no channel name, refuses with a bare 500 and logs why", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      for (const path of ["/broken/stream", "/odd/stream"]) {
        const refused = client(port, path);
        await until(() => refused.text.includes("\r\n\r\nInternal Server Error"), `the refusal of ${path}`);
        expect(refused.text).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
        expect(refused.text).not.toContain("database is down");
      }
    } finally {
      console.error = original;
    }
    expect(String(logged[0]?.[0])).toContain("app/routes/broken.tsx");
    expect(String(logged[0]?.[1])).toContain("database is down");
    expect(String(logged[1]?.[0])).toMatch(/app\/routes\/odd\.tsx must return a channel name or a list of them; got the number 42/);
    expect(hub.stats().streams).toBe(0);
  });

  test("HEAD gets the stream's headers and no subscription; other methods get a 405 naming GET and HEAD", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const heads = Array.from({ length: 200 }, () => client(port, "/rooms/1/stream", "", { method: "HEAD" }));
    await until(() => heads.every((head) => head.text.includes("\r\n\r\n")), "every HEAD answer");
    for (const head of heads) {
      expect(head.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(head.text.toLowerCase()).toContain("content-type: text/event-stream");
    }
    expect(hub.stats().streams).toBe(0);
    const posted = client(port, "/rooms/1/stream", "Content-Length: 0\r\n", { method: "POST" });
    await until(() => posted.text.includes("\r\n\r\n"), "the POST's answer");
    expect(posted.text).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(posted.text.toLowerCase()).toContain("allow: get, head");
    expect(hub.stats().streams).toBe(0);
  });

  test("a Remix data request (?_data=) on a stream URL is left to Remix, as without the handler", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const data = client(port, "/rooms/1/stream?_data=routes%2Frooms.%24roomId");
    await until(() => data.text.includes("not a stream"), "the request to reach next()");
    expect(hub.stats().streams).toBe(0);
  });

  test("serves the shared stream: each route resolved as its own stream URL would be, with the request's cookies", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const browser = client(port, "/__remix-live/stream?route=/rooms/7/stream&route=/inbox/stream&route=/elsewhere", "Cookie: user=ada\r\n");
    await until(() => browser.text.includes("event: routes"), "the routes event");
    expect(browser.text).toContain(`data: {"heartbeat":0,"routes":{"/rooms/7/stream":["room:7"],"/inbox/stream":["inbox:ada"],"/elsewhere":404}}`);
    expect(hub.stats().channels).toEqual({ "room:7": 1, "inbox:ada": 1 });
    hub.emit("inbox:ada");
    await until(() => browser.text.includes("data: inbox:ada\n\n"), "the inbox event");
    const stranger = client(port, "/__remix-live/stream?route=/inbox/stream");
    await until(() => stranger.text.includes("event: routes"), "the stranger's routes event");
    expect(stranger.text).toContain(`"routes":{"/inbox/stream":403}`);
  });

  test("with React Router's middleware on, a stream runs the middleware of its live route and the routes above it, root first, with a RouterContextProvider as context", async () => {
    const hub = new LiveHub();
    const build = routerBuildWith(hub, { v8_middleware: true });
    const { port } = await serve(build);
    const ada = client(port, "/inbox/stream", "Cookie: user=ada\r\n");
    await until(() => hub.stats().channels["inbox:ada"] === 1 && ada.text.includes("\r\n\r\n"), "ada's subscription");
    expect((build as unknown as { ran: string[] }).ran).toEqual(["root", "members", "root after"]);
    // The layout's guard answers a stranger, on the route's own URL and on the shared stream alike.
    const stranger = client(port, "/inbox/stream");
    await until(() => stranger.text.includes("\r\n\r\n"), "the stranger's answer");
    expect(stranger.text).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
    expect(stranger.text.toLowerCase()).toContain("location: /login");
    const shared = client(port, "/__remix-live/stream?route=/inbox/stream&route=/news/stream");
    await until(() => shared.text.includes("event: routes"), "the shared stream's routes event");
    expect(shared.text).toContain(`"routes":{"/inbox/stream":302,"/news/stream":["news"]}`);
  });

  test("React Router 8 has middleware on without a flag; React Router 7 without `future.v8_middleware` runs none", async () => {
    const seven = routerBuildWith(new LiveHub(), { v8_middleware: false });
    const { port } = await serve(seven);
    const stranger = client(port, "/inbox/stream");
    await until(() => stranger.text.includes("\r\n\r\n"), "the answer");
    // No middleware ran and the context is no RouterContextProvider: the live function fails, as a loader would.
    expect(stranger.text).toMatch(/^HTTP\/1\.1 500/);
    expect((seven as unknown as { ran: string[] }).ran).toEqual([]);
    const eight = routerBuildWith(new LiveHub(), {});
    const served = await serve(eight);
    const again = client(served.port, "/inbox/stream");
    await until(() => again.text.includes("\r\n\r\n"), "the answer");
    expect(again.text).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
  });

  test("under a basename the shared stream matches the routes it names below it", async () => {
    const hub = new LiveHub();
    const { port } = await serve({ ...buildWith(hub), basename: "/app/" });
    const browser = client(port, "/app/__remix-live/stream?route=/rooms/7/stream");
    await until(() => browser.text.includes("event: routes"), "the routes event");
    expect(browser.text).toContain(`"routes":{"/rooms/7/stream":["room:7"]}`);
  });

  test("events reach HTTP clients intact: a chunked HTTP/1.1 body (with an origin) and a plain HTTP/1.0 one", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    // fetch() parses the chunked body strictly: a chunk of the wrong size would fail the read.
    const response = await fetch(`http://127.0.0.1:${port}/rooms/1/stream`);
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const readUntil = async (end: string) => {
      while (!text.endsWith(end)) text += (await reader.read()).value;
    };
    await readUntil(": connected\n\n");
    hub.emit("room:1");
    hub.emit("room:1", "k3j9x2");
    await readUntil("origin: k3j9x2\n\n");
    expect(text).toBe("retry: 1000\n: connected\n\ndata: room:1\n\ndata: room:1\norigin: k3j9x2\n\n");
    await reader.cancel();
    // HTTP/1.0 knows no chunks: the frames come as they are, and the connection closes at the end.
    const old = client(port, "/rooms/1/stream");
    old.socket.removeAllListeners("connect");
    old.socket.on("connect", () => old.socket.write("GET /rooms/1/stream HTTP/1.0\r\nHost: x\r\n\r\n"));
    await until(() => old.text.includes(": connected"), "the HTTP/1.0 stream");
    hub.emit("room:1");
    await until(() => old.events === 1, "the event over HTTP/1.0");
    expect(old.text).not.toContain("chunked");
    expect(old.text.slice(old.text.indexOf("\r\n\r\n") + 4)).toBe("retry: 1000\n: connected\n\ndata: room:1\n\n");
  });

  test("getLoadContext gives a live function its context, from the Node request, as Remix gives loaders theirs", async () => {
    const hub = new LiveHub();
    const build = buildWith(hub);
    build.routes["remix-live/routes/team"] = {
      id: "remix-live/routes/team",
      parentId: "root",
      path: "team/stream",
      module: {
        remixLiveStream: {
          live: ({ context }: { context: { team?: string } }) => (context.team ? `team:${context.team}` : null),
          options: { heartbeatInterval: 0, hub },
        },
      },
    };
    const handler = createLiveStreamHandler({ build, getLoadContext: async (req) => ({ team: req.headers["x-team"] }) });
    const server = http.createServer((req, res) => handler(req, res, () => res.writeHead(404).end()));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    const member = client(port, "/team/stream", "X-Team: blue\r\n");
    await until(() => hub.stats().channels["team:blue"] === 1, "the stream on the team's channel");
    hub.emit("team:blue");
    await until(() => member.events === 1, "the team's event");
  });

  test("a client that leaves is unsubscribed", async () => {
    const hub = new LiveHub();
    const { port } = await serve(buildWith(hub));
    const room = client(port, "/rooms/1/stream");
    await until(() => hub.stats().streams === 1, "the subscription");
    room.socket.destroy();
    await until(() => hub.stats().streams === 0, "the unsubscription");
  });

  test("a client that stops reading makes the server wait, not buffer: what waits for it stays under 64 KiB, whatever the events", async () => {
    const hub = new LiveHub();
    const { port, responses } = await serve(buildWith(hub));
    const stuck = client(port, "/rooms/1/stream", "", { paused: true });
    const readers = Array.from({ length: 10 }, () => client(port, "/rooms/1/stream"));
    await until(() => hub.stats().streams === 11, "every stream");
    const stuckResponse = [...responses.values()].find((res) => res.socket?.remotePort === stuck.socket.localPort)!;
    // Enough events to fill the kernel's buffers many times over for the stuck client. (Once full,
    // the socket may drain a little later, as the kernel grows its buffers: it was full at some point.)
    let filled = false;
    for (let i = 0; i < 400_000; i++) {
      hub.emit("room:1");
      if (i % 1000 === 0) {
        filled ||= stuckResponse.socket!.writableNeedDrain;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const counts = readers.map((reader) => reader.events);
    hub.emit("room:1");
    await until(() => readers.every((reader, index) => reader.events > counts[index]!), "the last event at every reader");
    expect(filled, "the stuck client's socket filled up").toBe(true);
    // What waits in Node for the stuck client is what was written before the socket filled, not 400,000 events.
    expect(stuckResponse.socket!.writableLength).toBeLessThan(64 * 1024);
    expect(stuck.events).toBe(0);
  }, 60_000);
});
