// The floor: Server-Sent Events straight from node:http, one frame buffer written to every
// response. Nothing a framework adds, nothing a real app could do without.
import http from "node:http";

const port = Number(process.argv[2] ?? 5400);
const clients = new Set();
const frame = Buffer.from("data: bench\n\n");

const server = http.createServer((req, res) => {
  if (req.url === "/stream") {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform" });
    res.write(": connected\n\n");
    clients.add(res);
    res.on("close", () => clients.delete(res));
    return;
  }
  if (req.url === "/emit" && req.method === "POST") {
    for (const client of clients) client.write(frame);
    res.end("ok");
    return;
  }
  if (req.url === "/stats") {
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ rss, heapUsed, streams: clients.size }));
    return;
  }
  res.writeHead(404).end();
});

server.listen(port, "127.0.0.1", 4096, () => console.log(`bare SSE server on ${port}`));
