// The playground behind a custom Express server, as many production Remix apps run: the same app
// as `npm start`, with remix-live's stream handler mounted on the node:http server in front of
// Express, so that a stream request never reaches Express, compression or Remix's request
// pipeline. `npm run start:custom`.
import http from "node:http";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { createLiveStreamHandler } from "remix-live/server";

const build = await import("./build/server/index.js");
const port = Number(process.env.PORT ?? 3000);

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

const live = createLiveStreamHandler({ build });
http
  .createServer((req, res) => live(req, res, () => app(req, res)))
  .listen(port, () => console.log(`playground (custom server) on http://localhost:${port}`));
