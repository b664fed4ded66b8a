/**
 * SIGTERM and SIGINT in a server process that has had a live stream: remix-live closes its streams
 * and broker connections, and the server's own handler (remix-serve's `server.close()`, added
 * before any stream opened) still finishes its graceful shutdown.
 */
import net from "node:net";
import { afterEach, beforeAll, expect, test } from "vitest";
import { assertBuilt, DIST_SERVER_URL, killChildren, runNode } from "./node-process.js";
import { until } from "./waiting.js";

beforeAll(assertBuilt);
afterEach(killChildren);

/** A process whose own signal handler (if `handler`) takes a moment to shut down, then opens a stream. */
const server = (handler: boolean) => `
  import { getHub } from ${JSON.stringify(DIST_SERVER_URL)};
  ${handler ? `for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => setTimeout(() => { console.log("shut down by the app"); process.exit(0); }, 200));` : ""}
  getHub().subscribe(["chat"], { event() {}, heartbeat() {}, close() { console.log("stream closed"); } }, 0);
  setInterval(() => {}, 1000);
  console.log("ready");
`;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal}: the streams close and the app's own handler, registered before them, finishes its shutdown`, async () => {
    const child = runNode(server(true));
    await child.waitForOutput("ready");
    child.process.kill(signal);
    expect(await child.finish()).toBe(0);
    expect(child.stdout()).toContain("stream closed");
    expect(child.stdout()).toContain("shut down by the app");
  });
}

test("SIGTERM with no handler of the app's: the streams close and the signal still ends the process", async () => {
  const child = runNode(server(false));
  await child.waitForOutput("ready");
  child.process.kill("SIGTERM");
  await child.finish();
  expect(child.process.signalCode).toBe("SIGTERM");
  expect(child.stdout()).toContain("stream closed");
});

test("from the signal on, a browser coming back over its kept-alive connection gets a 503 with Connection: close and Retry-After: 5", async () => {
  const child = runNode(`
    import http from "node:http";
    import { writeEventStream } from ${JSON.stringify(DIST_SERVER_URL)};
    const server = http.createServer((req, res) => void writeEventStream(res, ["chat"], { heartbeatInterval: 0 }));
    // The app's own graceful shutdown takes a moment, as a real server's does.
    process.once("SIGTERM", () => setTimeout(() => process.exit(0), 1_000));
    server.listen(0, "127.0.0.1", () => console.log("port " + server.address().port));
  `);
  await child.waitForOutput("port ");
  const port = Number(/port (\d+)/.exec(child.stdout())![1]);
  const socket = net.connect({ host: "127.0.0.1", port });
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  const waitFor = (condition: () => boolean, what: string) => until(condition, () => `${what}; received:\n${received}`);
  socket.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  await waitFor(() => received.includes(": connected"), "the stream");
  child.process.kill("SIGTERM");
  // The stream ends (the chunked body's last chunk); the connection stays for the next request.
  await waitFor(() => received.endsWith("0\r\n\r\n"), "the stream's end");
  const ended = received.length;
  socket.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  await waitFor(() => received.length > ended && received.slice(ended).includes("\r\n\r\n"), "the answer to the stream asked again");
  const again = received.slice(ended);
  expect(again).toMatch(/^HTTP\/1\.1 503 /);
  expect(again).toMatch(/\r\nconnection: close\r\n/i);
  expect(again).toMatch(/\r\nretry-after: 5\r\n/i);
  socket.destroy();
  expect(await child.finish()).toBe(0);
});
