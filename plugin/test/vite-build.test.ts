import { readdirSync } from "node:fs";
import { afterAll, describe, expect, test } from "vitest";
import { buildApp, packPlugin, removeApps } from "./build-app.js";

afterAll(removeApps);

const liveRoute = (channel: string) => `
import { emit } from "remix-live/server";
export const live = ${channel};
export function loader() { return null; }
export function action() { emit("feed"); return null; }
export default function Feed() { return <p>feed</p>; }
`;

describe("remix vite:build with remix-live", () => {
  let feedApp: ReturnType<typeof buildApp>;
  const builtFeedApp = () => (feedApp ??= buildApp("flat-routes", { "app/routes/feed.tsx": liveRoute(`"feed"`) }));

  test("a file-system route that exports live gets a /stream resource route", async () => {
    const app = await builtFeedApp();
    expect(app.ok, app.output).toBe(true);
    const server = app.read("build/server/index.js");
    expect(server).toMatch(/"remix-live\/routes\/feed":\s*{\s*id: "remix-live\/routes\/feed",\s*parentId: "root",\s*path: "feed\/stream"/);
    expect(app.read(".remix-live/routes/feed.js")).toContain(`import { live } from "../../app/routes/feed.tsx";`);
  });

  test("a route added through the user's own routes option is found too", async () => {
    const app = await buildApp("routes-option", {
      "app/pages/board.tsx": liveRoute(`"board"`),
      "routes.config.js": `export const routes = (defineRoutes) => defineRoutes((route) => { route("boards/:id", "pages/board.tsx"); });`,
    });
    expect(app.ok, app.output).toBe(true);
    expect(app.read("build/server/index.js")).toMatch(/path: "boards\/:id\/stream"/);
  });

  test("a live value that is not a channel name fails the build with file, line and what is accepted", async () => {
    const app = await buildApp("bad-value", { "app/routes/feed.tsx": liveRoute("42") });
    expect(app.ok).toBe(false);
    expect(app.output).toContain("app/routes/feed.tsx:3:21: `export const live` must be a channel name");
    expect(app.output).toContain("letters, digits and _ - . : / @");
    expect(app.output).toContain("got the number 42");
  });

  test("a $param that the route does not have fails the build with file, line and the params it has", async () => {
    const app = await buildApp("unknown-param", { "app/routes/rooms.$roomId.tsx": liveRoute(`"room:$id"`) });
    expect(app.ok).toBe(false);
    // The path from the project root, and the value's column.
    expect(app.output).toContain("app/routes/rooms.$roomId.tsx:3:21:");
    expect(app.output).toContain("names $id, which is not a param of the route's URL /rooms/:roomId (its params are $roomId)");
  });

  test("a live function and its .server imports stay out of the client build", async () => {
    const app = await buildApp("live-function", {
      "app/auth.server.ts": `export async function requireMember(request) { if (!request.headers.get("cookie")) throw new Response("Unauthorized", { status: 401 }); }`,
      "app/routes/rooms.$roomId.tsx": [
        `import { requireMember } from "../auth.server";`,
        `export const live = async ({ request, params }) => { await requireMember(request); return \`room:\${params.roomId}\`; };`,
        `export function loader() { return null; }`,
        `export default function Room() { return <p>room</p>; }`,
      ].join("\n"),
    });
    // Remix refuses to bundle a .server module for the browser: the build passing shows it was stripped.
    expect(app.ok, app.output).toBe(true);
    expect(app.read(".remix-live/routes/rooms.$roomId.js")).toContain(`import { live } from "../../app/routes/rooms.$roomId.tsx"`);
    const client = readdirSync(`${app.dir}/build/client/assets`).map((file) => app.read(`build/client/assets/${file}`)).join("\n");
    expect(client).not.toContain("requireMember");
    expect(client).not.toContain("Unauthorized");
  });

  test("a route whose own code uses `live` keeps what it uses: a channel the page shows, not a live function only its loader calls", async () => {
    const app = await buildApp("live-used", {
      "app/auth.server.ts": `export async function requireMember(request) { if (!request.headers.get("cookie")) throw new Response("Unauthorized", { status: 401 }); }`,
      "app/routes/inbox.tsx": [
        `import { requireMember } from "../auth.server";`,
        `export async function live({ request }) { await requireMember(request); return "inbox"; }`,
        `export async function loader(args) { return { channel: await live(args) }; }`,
        `export default function Inbox() { return <p>inbox</p>; }`,
      ].join("\n"),
      "app/routes/feed.tsx": [
        `export const live = "feed-channel";`,
        `export const handle = { channel: live };`,
        `export default function Feed() { return <h1>Following {live}</h1>; }`,
      ].join("\n"),
    });
    expect(app.ok, app.output).toBe(true);
    const client = readdirSync(`${app.dir}/build/client/assets`).map((file) => app.read(`build/client/assets/${file}`)).join("\n");
    expect(client).not.toContain("requireMember");
    expect(client).not.toContain("Unauthorized");
    expect(client).toContain("feed-channel");
  });

  test("a live function that the page's component calls fails the build as Remix does for any .server import the browser would get", async () => {
    const app = await buildApp("live-called-by-page", {
      "app/auth.server.ts": `export async function requireMember() {}`,
      "app/routes/inbox.tsx": [
        `import { requireMember } from "../auth.server";`,
        `export async function live() { await requireMember(); return "inbox"; }`,
        `export default function Inbox() { return <button onClick={() => live()}>inbox</button>; }`,
      ].join("\n"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toMatch(/Server-only module referenced by client[\s\S]*auth\.server/);
  });

  test("a stream URL that an existing route already serves fails the build naming both files", async () => {
    const app = await buildApp("collision", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "app/routes/feed.stream.tsx": `export function loader() { return new Response("mine"); }`,
    });
    expect(app.ok).toBe(false);
    expect(app.output).toMatch(/app\/routes\/feed\.tsx exports `live`.*\/feed\/stream.*app\/routes\/feed\.stream\.tsx already handles that URL/s);
  });

  /** A vite.config.js like the template's, with `remixOptions` (source text) spread into remix()'s options. */
  const viteConfigWith = (remixOptions: string) =>
    [
      `import { vitePlugin as remix } from "@remix-run/dev";`,
      `import { remixLive } from "remix-live/vite";`,
      `const live = remixLive();`,
      `export default { logLevel: "warn", plugins: [live, remix({ presets: [live.preset], ${remixOptions} })] };`,
    ].join("\n");

  test("`routes: undefined` in the Remix options fails the build saying it hides remix-live's routes and to leave the key out", async () => {
    const app = await buildApp("routes-undefined", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "vite.config.js": viteConfigWith("routes: undefined"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toContain(
      "remix-live: the Remix plugin options contain `routes: undefined`, which hides the routes remix-live adds. " +
        "Leave the `routes` key out when you have no routes function.",
    );
  });

  test("SPA mode (`ssr: false`) fails the build saying remix-live needs a server", async () => {
    const app = await buildApp("spa-mode", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "vite.config.js": viteConfigWith("ssr: false"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toContain(
      "remix-live needs a server: live routes are served by a loader, and SPA mode (`ssr: false`) has none. " +
        "Remove `ssr: false` or remove remix-live.",
    );
  });

  test("the preset in an app with app/routes.ts (`future.v3_routeConfig`) fails the build saying to use withLiveRoutes() there", async () => {
    const app = await buildApp("v3-route-config", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "app/routes.ts": `export default [{ path: "feed", file: "routes/feed.tsx" }];`,
      "vite.config.js": viteConfigWith("future: { v3_routeConfig: true }"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toContain(
      "remix-live: this app declares its routes in app/routes.ts (future.v3_routeConfig), where Remix refuses routes from presets. " +
        "Remove live.preset from remix({ presets }) and wrap the routes there instead: " +
        'import { withLiveRoutes } from "remix-live/routes"; export default withLiveRoutes(flatRoutes());',
    );
  });

  test("remixLive() without its preset in remix({ presets }) fails the build saying to add it", async () => {
    const app = await buildApp("no-preset", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "vite.config.js": [
        `import { vitePlugin as remix } from "@remix-run/dev";`,
        `import { remixLive } from "remix-live/vite";`,
        `export default { logLevel: "warn", plugins: [remixLive(), remix()] };`,
      ].join("\n"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toContain("remix-live: app/routes/feed.tsx exports `live`, but remix-live never learned the app's routes, so no page would follow a stream. Add its preset:");
  });

  test("live.preset without remixLive()'s plugins in the Vite config fails the build saying to add them", async () => {
    const app = await buildApp("preset-without-plugins", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "vite.config.js": [
        `import { vitePlugin as remix } from "@remix-run/dev";`,
        `import { remixLive } from "remix-live/vite";`,
        `export default { logLevel: "warn", plugins: [remix({ presets: [remixLive().preset] })] };`,
      ].join("\n"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toContain(
      "remix-live: live.preset is in remix({ presets }), but the Vite plugins of the same remixLive() call are not in the Vite config, so no page would follow a stream.",
    );
  });

  test("remixLive() listed after remix() works as before it: the page follows its stream", async () => {
    const app = await buildApp("plugins-after-remix", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "vite.config.js": [
        `import { vitePlugin as remix } from "@remix-run/dev";`,
        `import { remixLive } from "remix-live/vite";`,
        `const live = remixLive();`,
        `export default { logLevel: "warn", plugins: [remix({ presets: [live.preset] }), live] };`,
      ].join("\n"),
    });
    expect(app.ok, app.output).toBe(true);
    const assets = readdirSync(`${app.dir}/build/client/assets`).filter((file) => file.startsWith("feed-"));
    expect(assets.map((file) => app.read(`build/client/assets/${file}`)).join("\n")).toContain("/__remix-live/stream");
  });

  test("remixLive() without its preset in an app where no module exports `live` (hand-written streams only) builds", async () => {
    const app = await buildApp("no-preset-no-live", {
      "vite.config.js": [
        `import { vitePlugin as remix } from "@remix-run/dev";`,
        `import { remixLive } from "remix-live/vite";`,
        `export default { logLevel: "warn", plugins: [remixLive(), remix()] };`,
      ].join("\n"),
    });
    expect(app.ok, app.output).toBe(true);
  });

  test("remixLive() with app/routes.ts that does not call withLiveRoutes() fails the build saying to wrap the routes there", async () => {
    const app = await buildApp("no-with-live-routes", {
      "app/routes/feed.tsx": liveRoute(`"feed"`),
      "app/routes.ts": `export default [{ path: "feed", file: "routes/feed.tsx" }];`,
      "vite.config.js": [
        `import { vitePlugin as remix } from "@remix-run/dev";`,
        `import { remixLive } from "remix-live/vite";`,
        `export default { logLevel: "warn", plugins: [remixLive(), remix({ future: { v3_routeConfig: true } })] };`,
      ].join("\n"),
    });
    expect(app.ok).toBe(false);
    expect(app.output).toContain("should instead wrap its routes there: import { withLiveRoutes }");
  });

  test("a live route without a default export builds, with a warning naming the file and telling to call useLiveLoader(); a shouldRevalidate it cannot wrap is warned of too", async () => {
    const app = await buildApp("no-default-export", {
      "app/routes/feed.tsx": [`export const live = "feed";`, `export function loader() { return null; }`].join("\n"),
      "app/routes/news.tsx": [
        `export const live = "news";`,
        `export const handle = {}, shouldRevalidate = () => true;`,
        `export default function News() { return null; }`,
      ].join("\n"),
    });
    expect(app.ok, app.output).toBe(true);
    expect(app.output).toContain(
      "app/routes/feed.tsx: exports `live` but has no default export, so remix-live cannot make its page follow the stream. " +
        "Call useLiveLoader() from remix-live/react in the component instead " +
        "(a resource route has no page: its /stream URL still serves hand-written clients, or remove `live`).",
    );
    expect(app.output).toContain(
      "app/routes/news.tsx: exports `shouldRevalidate` in a form remix-live cannot wrap (a declaration that exports other names too, or `export * as`), " +
        "so its loader re-runs for every live event on its page.",
    );
    // Each said once, without the path twice.
    expect(app.output.match(/exports `live` but/g)).toHaveLength(1);
    expect(app.output).not.toContain("feed.tsx: app/routes/feed.tsx");
    // The route still gets its stream, for the useLiveLoader() the warning asks for.
    expect(app.read("build/server/index.js")).toMatch(/path: "feed\/stream"/);
  });

  test("the client bundle keeps the page live but holds no server code", async () => {
    const app = await builtFeedApp();
    expect(app.ok, app.output).toBe(true);
    const assets = readdirSync(`${app.dir}/build/client/assets`).filter((file) => file.endsWith(".js"));
    const client = assets.map((file) => app.read(`build/client/assets/${file}`)).join("\n");
    expect(client).toContain("/__remix-live/stream");
    for (const serverOnly of ["createEventStream", "serveLiveStream", "emit(\"feed\")", "remix-live/server"]) {
      expect(client, serverOnly).not.toContain(serverOnly);
    }
  });

  test("the package npm pack produces installs into an app and works there", async () => {
    const { tarball, files } = await packPlugin();
    expect(files).toEqual(expect.arrayContaining(["package.json", "dist/vite/index.js", "dist/vite/index.d.ts", "dist/server/index.js", "dist/server/index.d.ts", "dist/react/index.js", "dist/react/index.d.ts"]));
    expect(files.filter((file) => /\.test\.|fixtures|^src\//.test(file))).toEqual([]);

    const app = await buildApp("packed", { "app/routes/feed.tsx": liveRoute(`"feed"`) }, { packedPlugin: tarball });
    expect(app.ok, app.output).toBe(true);
    expect(app.read("build/server/index.js")).toMatch(/path: "feed\/stream"/);
    expect(app.read("node_modules/remix-live/package.json")).toContain('"name": "remix-live"');
  });
});
