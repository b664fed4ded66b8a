import { SHARED_EXPORT, STREAM_EXPORT } from "../../shared/stream-export.js";
import { GENERATED_HEADER, renderStreamOptions } from "./stream-route.js";

/**
 * The source of the generated shared stream route: one resource route that serves the events of
 * every live route over one connection, by importing each generated stream route's channels.
 *
 *   [{ path: "chat/stream", importPath: "./routes/routes/chat.js" }]
 *   ->
 *   import { remixLiveStream as route0 } from "./routes/routes/chat.js";
 *   export const remixLiveShared = { routes: [["chat/stream", route0]], options: { ... } };
 *   export function loader(args) { return serveSharedStream(args, remixLiveShared); }
 */
export interface SharedStreamRouteSource {
  streamRoutes: ReadonlyArray<{ path: string; importPath: string }>;
  heartbeatInterval?: number | undefined;
  maxStreams?: number | undefined;
}

export function renderSharedStreamRoute({ streamRoutes, heartbeatInterval, maxStreams }: SharedStreamRouteSource): string {
  return [
    `${GENERATED_HEADER} every route that exports \`live\`.`,
    `import { refuseStreamMethod, serveSharedStream } from "remix-live/server";`,
    ...streamRoutes.map(({ importPath }, index) => `import { ${STREAM_EXPORT} as route${index} } from ${JSON.stringify(importPath)};`),
    ``,
    `// Read by createLiveStreamHandler(), which serves this route without Remix's request pipeline.`,
    `export const ${SHARED_EXPORT} = {`,
    `  routes: [${streamRoutes.map(({ path }, index) => `[${JSON.stringify(path)}, route${index}]`).join(", ")}],`,
    `  options: { ${renderStreamOptions({ heartbeatInterval, maxStreams }).join(", ")} },`,
    `};`,
    ``,
    `export function loader(args) {`,
    `  return serveSharedStream(args, ${SHARED_EXPORT});`,
    `}`,
    ``,
    `export const action = refuseStreamMethod;`,
    ``,
  ].join("\n");
}
