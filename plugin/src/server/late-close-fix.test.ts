import { createServer, type ServerResponse } from "node:http";
import net from "node:net";
import { afterEach, test } from "vitest";
import { runLateCloseListeners } from "./late-close-fix.js";

runLateCloseListeners();

let close = () => {};
afterEach(() => close());

/** A server whose handler waits a turn before it listens for `close`, as Remix's adapter does behind express.static. */
async function serverListeningLate(onClose: () => void): Promise<number> {
  let late: (res: ServerResponse) => void = () => {};
  const server = createServer((_req, res) => {
    late = (response) => response.on("close", onClose);
    setTimeout(() => late(res), 30);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => server.close();
  return (server.address() as net.AddressInfo).port;
}

test("a close listener added after the client left still runs", async () => {
  let heard!: () => void;
  const closed = new Promise<void>((resolve) => (heard = resolve));
  const port = await serverListeningLate(() => heard());
  const socket = net.connect(port, "127.0.0.1", () => {
    socket.write("GET /chat/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
    // Gone before the handler listens.
    setTimeout(() => socket.destroy(), 5);
  });
  await closed;
});
