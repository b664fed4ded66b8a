// The benchmark's "handler in Express" server: the playground's build behind Express with
// createLiveStreamHandler mounted as the first middleware (`app.use`), the other way to mount it.
// Each stream then passes through Express's own per-request setup before the handler runs.
//
//   node bench/express-middleware-server.mjs   (from playground/, after `npm run build`)
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import express from "express";
import { createLiveStreamHandler } from "remix-live/server";

const build = await import(pathToFileURL(path.resolve("build/server/index.js")).href);
const app = express();
app.disable("x-powered-by");
app.use(createLiveStreamHandler({ build }));
app.all("*", createRequestHandler({ build }));
app.listen(Number(process.env.PORT ?? 3000));
