// The second process of the transport benchmark: follows one channel through the given transport
// and reports to its parent, over IPC, the moment each event arrives.
import { performance } from "node:perf_hooks";
import { LiveHub, createTransportFromUrl } from "../plugin/dist/server/index.js";

const hub = new LiveHub(createTransportFromUrl(process.argv[2]));
hub.subscribe(
  ["bench"],
  { event: () => process.send({ at: performance.timeOrigin + performance.now() }), heartbeat: () => {} },
  0,
);
process.on("message", async (message) => {
  if (message === "stop") {
    await hub.close();
    process.exit(0);
  }
});
process.send({ ready: true });
