// The playground behind a custom Express server, as most production Remix apps run: the same app
// as `npm start` (remix-serve), plus remix-live's stream handler in front of Remix, which serves
// the live routes' streams without Remix's request pipeline. `npm run start:custom`.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { createLiveStreamHandler } from "remix-live/server";

const build = await import("./build/server/index.js");
const port = Number(process.env.PORT ?? 3000);

const app = express();
app.disable("x-powered-by");
// First: a stream request needs no compression (it is never compressed) and no file lookups.
app.use(createLiveStreamHandler({ build }));
app.use(compression());
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

app.listen(port, () => console.log(`playground (custom server) on http://localhost:${port}`));
