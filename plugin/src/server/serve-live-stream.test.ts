import { afterEach, describe, expect, test, vi } from "vitest";
import { LiveHub } from "./hub.js";
import { serveLiveStream, type LiveArgs } from "./serve-live-stream.js";

const decoder = new TextDecoder();

function args(params: Record<string, string> = {}, url = "http://localhost/rooms/1/stream"): LiveArgs {
  return { request: new Request(url), params, context: {} };
}

async function serve(source: Parameters<typeof serveLiveStream>[1], live: LiveArgs = args()) {
  const hub = new LiveHub();
  const response = await serveLiveStream(live, source, { hub, heartbeatInterval: 0, route: "app/routes/rooms.$roomId.tsx" });
  return { hub, response };
}

afterEach(() => vi.restoreAllMocks());

describe("channel templates", () => {
  test("are filled from the route params, so /rooms/1/stream hears room:1 only", async () => {
    const { hub, response } = await serve(["room:$roomId", "presence"], args({ roomId: "1" }));
    expect(response.status).toBe(200);
    expect(hub.stats().channels).toEqual({ "room:1": 1, presence: 1 });
    const reader = response.body!.getReader();
    await reader.read();
    hub.emit("room:2");
    hub.emit("room:1");
    expect(decoder.decode((await reader.read()).value)).toBe("data: room:1\n\n");
  });

  test("no query parameter can choose or add a channel", async () => {
    const { hub } = await serve("room:$roomId", args({ roomId: "1" }, "http://localhost/rooms/1/stream?channel=room:2&roomId=2"));
    expect(hub.stats().channels).toEqual({ "room:1": 1 });
  });

  test.each([
    ["a segment with spaces", "a b"],
    ["a huge segment", "x".repeat(10_000)],
    ["a segment with a newline (an injected event)", "1\n\ndata: admin"],
  ])("%s is refused with 400 and subscribes to nothing", async (_, roomId) => {
    const { hub, response } = await serve("room:$roomId", args({ roomId }));
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain(roomId);
    expect(hub.stats().streams).toBe(0);
  });
});

describe("in React Router's request pipeline with middleware on", () => {
  class RouterContextProvider {
    values = new Map<object, unknown>();
  }
  const user = {};
  const options = { heartbeatInterval: 0, route: "app/routes/inbox.tsx", contextProvider: RouterContextProvider };

  test("the middleware under the root runs before the live function, with the context the root's middleware filled", async () => {
    const context = new RouterContextProvider();
    context.values.set(user, "ada");
    const ran: string[] = [];
    const middleware = () => [
      async (_: LiveArgs, next: () => Promise<Response>) => {
        ran.push("members");
        const response = await next();
        ran.push("members after");
        return response;
      },
    ];
    const live = ({ context }: LiveArgs) => `inbox:${(context as RouterContextProvider).values.get(user)}`;
    const hub = new LiveHub();
    const response = await serveLiveStream({ ...args(), context }, live, { ...options, hub, middleware });
    expect(response.status).toBe(200);
    expect(ran).toEqual(["members", "members after"]);
    expect(hub.stats().channels).toEqual({ "inbox:ada": 1 });
    await response.body!.cancel();
  });

  test("a Response a middleware throws or returns refuses the subscription; without React Router's context (middleware off) none runs", async () => {
    const redirect = () => new Response(null, { status: 302, headers: { Location: "/login" } });
    const hub = new LiveHub();
    const thrown = await serveLiveStream({ ...args(), context: new RouterContextProvider() }, ["inbox"], {
      ...options,
      hub,
      middleware: () => [
        () => {
          throw redirect();
        },
      ],
    });
    expect(thrown.status).toBe(302);
    const returned = await serveLiveStream({ ...args(), context: new RouterContextProvider() }, ["inbox"], { ...options, hub, middleware: () => [() => redirect()] });
    expect(returned.headers.get("Location")).toBe("/login");
    expect(hub.stats().streams).toBe(0);
    const off = await serveLiveStream(args(), ["inbox"], { ...options, hub, middleware: () => [() => redirect()] });
    expect(off.status).toBe(200);
    await off.body!.cancel();
  });

  test("a middleware that throws anything else gives a 500 that does not leak the error, and the log says where", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await serveLiveStream({ ...args(), context: new RouterContextProvider() }, ["inbox"], {
      ...options,
      hub: new LiveHub(),
      middleware: () => [
        () => {
          throw new Error("session store is down");
        },
      ],
    });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("session store");
    expect(String(log.mock.calls[0]?.[0])).toContain("the middleware above app/routes/inbox.tsx threw");
  });
});

describe("a live function", () => {
  test("gets the loader's arguments and may return a name or a list", async () => {
    const live = vi.fn(async ({ params }: LiveArgs) => [`room:${params.roomId}`, "presence"]);
    const input = args({ roomId: "7" });
    const { hub } = await serve(live, input);
    expect(live).toHaveBeenCalledWith(input);
    expect(hub.stats().channels).toEqual({ "room:7": 1, presence: 1 });
  });

  test("refuses the subscription with the Response it throws", async () => {
    const { hub, response } = await serve(() => {
      throw new Response("Forbidden", { status: 403 });
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Forbidden");
    expect(hub.stats().streams).toBe(0);
  });

  test("that throws anything else gives a 500 that does not leak the error", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const { response } = await serve(async () => {
      throw new Error("database password is hunter2");
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("Internal Server Error");
    expect(String(log.mock.calls[0]?.[0])).toContain("the live function of app/routes/rooms.$roomId.tsx threw");
  });

  test.each([
    ["a number", () => 42, "got the number 42"],
    ["an empty list", () => [], "got an empty list"],
    ["a malformed name", () => "room 1", 'contains " "'],
    ["nothing", () => undefined, "got undefined"],
  ])("returning %s is a clear server error", async (_, live, problem) => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const { response, hub } = await serve(live as () => string);
    expect(response.status).toBe(500);
    expect(hub.stats().streams).toBe(0);
    expect(String(log.mock.calls[0]?.[0])).toContain("must return a channel name or a list of them");
    expect(String(log.mock.calls[0]?.[0])).toContain(problem);
  });
});
