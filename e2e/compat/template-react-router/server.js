// The server of React Router's Express template, plus remix-live's stream handler when
// WITH_LIVE_HANDLER is set.
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import { createLiveStreamHandler } from "remix-live/server";

const build = await import("./build/server/index.js");
const app = express();
if (process.env.WITH_LIVE_HANDLER) app.use(createLiveStreamHandler({ build }));
app.use(compression());
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.use(createRequestHandler({ build }));

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`Express server listening at http://localhost:${port}`));
