import { describe, expect, test } from "vitest";
import { LiveHub } from "./hub.js";
import { serveSharedStream, type SharedStreamExport } from "./shared-stream.js";

const hub = () => new LiveHub();

function shared(liveHub: LiveHub): SharedStreamExport {
  const options = { heartbeatInterval: 0, hub: liveHub };
  return {
    routes: [
      ["chat/stream", { live: "chat", options }],
      ["rooms/:roomId/stream", { live: ["room:$roomId", "rooms"], options }],
      [
        "inbox/stream",
        {
          live: ({ request }: { request: Request }) => {
            if (!request.headers.get("cookie")?.includes("user=ada")) throw new Response("Forbidden", { status: 403 });
            if (new URL(request.url).pathname !== "/inbox/stream") throw new Error("the live function must see its own stream URL");
            return "inbox:ada";
          },
          options,
        },
      ],
    ],
    options,
  };
}

async function open(liveHub: LiveHub, query: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const request = new Request(`http://localhost/__remix-live/stream${query}`, { headers, signal: controller.signal });
  const response = await serveSharedStream({ request, params: {}, context: {} }, shared(liveHub));
  const reader = response.body?.getReader();
  const read = async () => new TextDecoder().decode((await reader!.read()).value);
  return { response, read, close: () => controller.abort() };
}

describe("the shared stream", () => {
  test("follows the channels of every route asked for, as their own stream URLs would, and says which in its first event", async () => {
    const liveHub = hub();
    const stream = await open(liveHub, "?route=/chat/stream&route=/rooms/7/stream");
    expect(stream.response.status).toBe(200);
    expect(await stream.read()).toBe("retry: 1000\n: connected\n\n");
    expect(await stream.read()).toBe(`event: routes\ndata: {"heartbeat":0,"routes":{"/chat/stream":["chat"],"/rooms/7/stream":["room:7","rooms"]}}\n\n`);
    expect(liveHub.stats().channels).toEqual({ chat: 1, "room:7": 1, rooms: 1 });
    liveHub.emit("room:7");
    expect(await stream.read()).toBe("data: room:7\n\n");
    stream.close();
    expect(liveHub.stats().streams).toBe(0);
  });

  test("a route that refuses is refused alone, with its status; an unknown URL is a 404 for that route only", async () => {
    const liveHub = hub();
    const stranger = await open(liveHub, "?route=/chat/stream&route=/inbox/stream&route=/nowhere/stream");
    await stranger.read();
    expect(await stranger.read()).toContain(`"routes":{"/chat/stream":["chat"],"/inbox/stream":403,"/nowhere/stream":404}`);
    const ada = await open(liveHub, "?route=/inbox/stream", { Cookie: "user=ada" });
    await ada.read();
    expect(await ada.read()).toContain(`"routes":{"/inbox/stream":["inbox:ada"]}`);
    expect(liveHub.stats().channels).toEqual({ chat: 1, "inbox:ada": 1 });
  });

  test("no query parameter can name a channel: only route paths are read", async () => {
    const liveHub = hub();
    const stream = await open(liveHub, "?route=/chat/stream&channel=inbox:ada&route=inbox:ada");
    expect(stream.response.status).toBe(400);
    const plain = await open(liveHub, "?route=/chat/stream&channel=inbox:ada");
    await plain.read();
    expect(await plain.read()).toContain(`"routes":{"/chat/stream":["chat"]}`);
    expect(liveHub.stats().channels).toEqual({ chat: 1 });
  });

  test("a request naming no route, or too many, is refused as a whole with a 400", async () => {
    const liveHub = hub();
    expect((await open(liveHub, "")).response.status).toBe(400);
    const many = Array.from({ length: 65 }, (_, index) => `route=/rooms/${index}/stream`).join("&");
    expect((await open(liveHub, `?${many}`)).response.status).toBe(400);
    expect(liveHub.stats().streams).toBe(0);
  });

  test("for each route the client asks about (its data predates the stream), the first event says how long ago its channels changed", async () => {
    const liveHub = hub();
    liveHub.emit("room:7");
    const stream = await open(liveHub, "?route=/chat/stream&route=/rooms/7/stream&route=/inbox/stream&age=5000,5000,5000");
    await stream.read();
    const { changed } = JSON.parse((await stream.read()).split("data: ")[1]!) as { changed: Record<string, number> };
    // Refused routes are not answered; /chat never changed: the hub vouches for it since the process started.
    expect(Object.keys(changed)).toEqual(["/chat/stream", "/rooms/7/stream"]);
    expect(changed["/rooms/7/stream"]).toBeLessThan(1_000);
    expect(changed["/chat/stream"]).toBeGreaterThanOrEqual(Math.min(Date.now() - performance.timeOrigin, 60_000) - 1_000);
    // Routes an open stream carries already (age 0) are not asked about; ages that do not parse count as 0.
    for (const ages of ["0,0", "x,-3", ""]) {
      const carried = await open(liveHub, `?route=/chat/stream&route=/rooms/7/stream&age=${ages}`);
      await carried.read();
      expect(await carried.read()).not.toContain("changed");
    }
  });
});
