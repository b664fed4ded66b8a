import { describe, expect, test } from "vitest";
import type { LiveExport } from "./detect.js";
import { planStreamRoutes, type RouteEntry, StreamRouteConflictError } from "./plan-stream-routes.js";

const ROOT: RouteEntry = { id: "root", path: "", file: "root.tsx" };

/** A manifest with the root route plus `entries`; top-level routes default to parentId "root". */
function manifest(...entries: RouteEntry[]): Record<string, RouteEntry> {
  const routes: Record<string, RouteEntry> = { root: ROOT };
  for (const entry of entries) routes[entry.id] = entry;
  return routes;
}

function live(...ids: string[]): Map<string, LiveExport> {
  return new Map(ids.map((id, index) => [id, { kind: "channels" as const, channels: [`channel-${index}`], line: index + 1, column: 0 }]));
}

/** The error thrown by `run`, so its class and message can both be checked. */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected planStreamRoutes to throw, but it returned");
}

describe("planStreamRoutes gives each live route a /stream URL", () => {
  test("a top-level route gets <path>/stream and a remix-live route id", () => {
    const chat: RouteEntry = { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" };
    const exports = new Map([["routes/chat", { kind: "channels" as const, channels: ["chat"], line: 3, column: 0 }]]);

    const planned = planStreamRoutes(manifest(chat), exports);

    expect(planned).toEqual([
      { id: "remix-live/routes/chat", path: "chat/stream", url: "chat", liveRoute: chat, chain: [chat], live: { kind: "channels" as const, channels: ["chat"], line: 3, column: 0 } },
    ]);
  });

  test("nested paths are joined through their parents", () => {
    const routes = manifest(
      { id: "routes/rooms", path: "rooms", file: "routes/rooms.tsx", parentId: "root" },
      { id: "routes/rooms.$roomId", path: ":roomId", file: "routes/rooms.$roomId.tsx", parentId: "routes/rooms" },
    );

    const planned = planStreamRoutes(routes, live("routes/rooms.$roomId"));

    expect(planned.map((route) => route.path)).toEqual(["rooms/:roomId/stream"]);
    expect(planned[0]?.id).toBe("remix-live/routes/rooms.$roomId");
    // Whose middleware runs for it after the root's: the parent's, then its own.
    expect(planned[0]?.chain.map((route) => route.id)).toEqual(["routes/rooms", "routes/rooms.$roomId"]);
  });

  test("a multi-segment parent path is joined as well", () => {
    const routes = manifest(
      { id: "routes/admin.rooms", path: "admin/rooms", file: "routes/admin.rooms.tsx", parentId: "root" },
      { id: "routes/admin.rooms.$id", path: ":id/edit", file: "routes/admin.rooms.$id.edit.tsx", parentId: "routes/admin.rooms" },
    );

    expect(planStreamRoutes(routes, live("routes/admin.rooms.$id")).map((route) => route.path)).toEqual([
      "admin/rooms/:id/edit/stream",
    ]);
  });

  test("pathless layout parents contribute no segment", () => {
    const routes = manifest(
      { id: "routes/_app", file: "routes/_app.tsx", parentId: "root" },
      { id: "routes/_app.chat", path: "chat", file: "routes/_app.chat.tsx", parentId: "routes/_app" },
    );

    expect(planStreamRoutes(routes, live("routes/_app.chat")).map((route) => route.path)).toEqual(["chat/stream"]);
  });

  test("an index route is served next to its parent's URL", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/chat._index", index: true, file: "routes/chat._index.tsx", parentId: "routes/chat" },
    );

    expect(planStreamRoutes(routes, live("routes/chat._index")).map((route) => route.path)).toEqual(["chat/stream"]);
  });

  test("a live root route gets /stream", () => {
    const planned = planStreamRoutes(manifest(), live("root"));

    expect(planned).toHaveLength(1);
    expect(planned[0]?.path).toBe("stream");
    expect(planned[0]?.id).toBe("remix-live/root");
    expect(planned[0]?.liveRoute).toBe(ROOT);
  });

  test("a live root index route gets /stream", () => {
    const routes = manifest({ id: "routes/_index", index: true, file: "routes/_index.tsx", parentId: "root" });

    expect(planStreamRoutes(routes, live("routes/_index")).map((route) => route.path)).toEqual(["stream"]);
  });

  test("optional segments keep their question mark", () => {
    const routes = manifest({ id: "routes/($lang).chat", path: ":lang?/chat", file: "routes/($lang).chat.tsx", parentId: "root" });

    expect(planStreamRoutes(routes, live("routes/($lang).chat")).map((route) => route.path)).toEqual([":lang?/chat/stream"]);
  });

  test("routes that do not export live get no stream route", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/about", path: "about", file: "routes/about.tsx", parentId: "root" },
      { id: "routes/_index", index: true, file: "routes/_index.tsx", parentId: "root" },
    );

    expect(planStreamRoutes(routes, live("routes/chat")).map((route) => route.liveRoute.id)).toEqual(["routes/chat"]);
    expect(planStreamRoutes(routes, new Map())).toEqual([]);
  });

  test("several live routes each get their own stream route, carrying their channel", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/feed", path: "feed", file: "routes/feed.tsx", parentId: "root" },
    );
    const exports = new Map([
      ["routes/chat", { kind: "channels" as const, channels: ["chat"], line: 1, column: 0 }],
      ["routes/feed", { kind: "channels" as const, channels: ["news"], line: 7, column: 0 }],
    ]);

    const planned = planStreamRoutes(routes, exports);

    expect(planned.map(({ id, path, live }) => ({ id, path, channel: live.kind === "channels" && live.channels[0] }))).toEqual([
      { id: "remix-live/routes/chat", path: "chat/stream", channel: "chat" },
      { id: "remix-live/routes/feed", path: "feed/stream", channel: "news" },
    ]);
  });

  test("a live export for a route id missing from the manifest is ignored", () => {
    expect(planStreamRoutes(manifest(), live("routes/gone"))).toEqual([]);
  });
});

describe("planStreamRoutes refuses URLs that are already taken", () => {
  test("an existing route at <path>/stream", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/chat.stream", path: "chat/stream", file: "routes/chat.stream.tsx", parentId: "root" },
    );

    const error = thrown(() => planStreamRoutes(routes, live("routes/chat")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.name).toBe("StreamRouteConflictError");
    expect(error.message).toContain("routes/chat.tsx");
    expect(error.message).toContain("routes/chat.stream.tsx");
    expect(error.message).toContain("/chat/stream");
  });

  test("an existing nested route at the same URL", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/chat.stream", path: "stream", file: "routes/chat.stream.tsx", parentId: "routes/chat" },
    );

    const error = thrown(() => planStreamRoutes(routes, live("routes/chat")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toContain("routes/chat.tsx");
    expect(error.message).toContain("routes/chat.stream.tsx");
  });

  test("an existing route whose params have other names", () => {
    const routes = manifest(
      { id: "routes/rooms.$roomId", path: "rooms/:roomId", file: "routes/rooms.$roomId.tsx", parentId: "root" },
      { id: "routes/rooms.$id.stream", path: "rooms/:id/stream", file: "routes/rooms.$id.stream.tsx", parentId: "root" },
    );

    const error = thrown(() => planStreamRoutes(routes, live("routes/rooms.$roomId")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toContain("routes/rooms.$roomId.tsx");
    expect(error.message).toContain("routes/rooms.$id.stream.tsx");
  });

  test("an existing route that differs only in case", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/Chat.Stream", path: "Chat/Stream", file: "routes/Chat.Stream.tsx", parentId: "root" },
    );

    const error = thrown(() => planStreamRoutes(routes, live("routes/chat")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toContain("routes/chat.tsx");
    expect(error.message).toContain("routes/Chat.Stream.tsx");
  });

  test("an existing route at /stream next to a live root route", () => {
    const routes = manifest({ id: "routes/stream", path: "stream", file: "routes/stream.tsx", parentId: "root" });

    const error = thrown(() => planStreamRoutes(routes, live("root")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toContain("root.tsx");
    expect(error.message).toContain("routes/stream.tsx");
  });

  test("a route at a different URL is no conflict", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/chat.streams", path: "chat/streams", file: "routes/chat.streams.tsx", parentId: "root" },
      { id: "routes/rooms.$id.stream", path: "rooms/:id/stream", file: "routes/rooms.$id.stream.tsx", parentId: "root" },
    );

    expect(planStreamRoutes(routes, live("routes/chat")).map((route) => route.path)).toEqual(["chat/stream"]);
  });

  test("two live routes sharing one URL: a layout and its index route", () => {
    const routes = manifest(
      { id: "routes/chat", path: "chat", file: "routes/chat.tsx", parentId: "root" },
      { id: "routes/chat._index", index: true, file: "routes/chat._index.tsx", parentId: "routes/chat" },
    );

    const error = thrown(() => planStreamRoutes(routes, live("routes/chat", "routes/chat._index")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toContain("routes/chat.tsx");
    expect(error.message).toContain("routes/chat._index.tsx");
  });

  test("a live splat route", () => {
    const routes = manifest({ id: "routes/files.$", path: "files/*", file: "routes/files.$.tsx", parentId: "root" });

    const error = thrown(() => planStreamRoutes(routes, live("routes/files.$")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toMatch(/splat/i);
    expect(error.message).toContain("routes/files.$.tsx");
  });

  test("a live route below a splat route", () => {
    const routes = manifest(
      { id: "routes/$", path: "*", file: "routes/$.tsx", parentId: "root" },
      { id: "routes/$._index", index: true, file: "routes/$._index.tsx", parentId: "routes/$" },
    );

    const error = thrown(() => planStreamRoutes(routes, live("routes/$._index")));

    expect(error).toBeInstanceOf(StreamRouteConflictError);
    expect(error.message).toMatch(/splat/i);
    expect(error.message).toContain("routes/$._index.tsx");
  });
});

describe("channel templates must name the route's own params", () => {
  const room: RouteEntry = { id: "routes/rooms.$roomId", path: "rooms/:roomId", file: "routes/rooms.$roomId.tsx", parentId: "root" };
  const templates = (...channels: string[]) => new Map([[room.id, { kind: "channels" as const, channels, line: 5, column: 20 }]]);

  test("a param of the route's URL is accepted", () => {
    expect(planStreamRoutes(manifest(room), templates("room:$roomId", "presence"))[0]?.path).toBe("rooms/:roomId/stream");
  });

  test("a param the route does not have is an error with file, line and the params it has", () => {
    const error = thrown(() => planStreamRoutes(manifest(room), templates("room:$roomid"), (file) => `app/${file}`));
    // The file as the project names it, and where the value is written.
    expect(error.message).toMatch(/^app\/routes\/rooms\.\$roomId\.tsx:5:21: /);
    expect(error.message).toContain('"room:$roomid" names $roomid, which is not a param of the route\'s URL /rooms/:roomId (its params are $roomId)');
  });

  test("in a list, the error points at the channel that names the wrong param", () => {
    const exports = new Map([
      [room.id, { kind: "channels" as const, channels: ["chat", "room:$roomid"], line: 5, column: 20, channelsAt: [{ line: 6, column: 2 }, { line: 7, column: 2 }] }],
    ]);
    expect(thrown(() => planStreamRoutes(manifest(room), exports)).message).toMatch(/^routes\/rooms\.\$roomId\.tsx:7:3: /);
  });

  test("params of parent routes count, optional ones too", () => {
    const lang: RouteEntry = { id: "routes/($lang)", path: ":lang?", file: "routes/($lang).tsx", parentId: "root" };
    const page: RouteEntry = { id: "routes/($lang).docs.$page", path: "docs/:page", file: "routes/($lang).docs.$page.tsx", parentId: lang.id };
    const exports = new Map([[page.id, { kind: "channels" as const, channels: ["docs:$lang:$page"], line: 1, column: 0 }]]);
    expect(planStreamRoutes(manifest(lang, page), exports)[0]?.path).toBe(":lang?/docs/:page/stream");
  });

  test("a live function is not checked at build time", () => {
    const exports = new Map([[room.id, { kind: "function" as const, line: 2, column: 0 }]]);
    expect(planStreamRoutes(manifest(room), exports)[0]?.live).toEqual({ kind: "function", line: 2, column: 0 });
  });
});
