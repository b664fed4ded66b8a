/**
 * SIGTERM and SIGINT in a server process that has had a live stream: remix-live closes its streams
 * and broker connections, and the server's own handler (remix-serve's `server.close()`, added
 * before any stream opened) still finishes its graceful shutdown.
 */
import { afterEach, beforeAll, expect, test } from "vitest";
import { assertBuilt, DIST_SERVER_URL, killChildren, runNode } from "./node-process.js";

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
