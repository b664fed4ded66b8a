/**
 * Proves the private-broker helpers work: each server answers, survives a restart on the same
 * port, and once stopped its port refuses connections.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import { freePort, pingRedis, type PostgresServer, type RedisServer, startPostgres, startRedis } from "./brokers.js";

/** Resolves with the error code of a TCP connection attempt to 127.0.0.1:`port` ("connected" if it succeeded). */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function selectOne(port: number): string {
  return execFileSync(
    "psql",
    ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-tAc", "select 1"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 },
  ).trim();
}

async function timed<T>(label: string, action: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await action();
  console.log(`[brokers] ${label}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

test("freePort returns a port nothing listens on", async () => {
  const port = await freePort();
  expect(port).toBeGreaterThan(0);
  expect(await connectOutcome(port)).toBe("ECONNREFUSED");
});

describe("private Redis", () => {
  let redis: RedisServer | undefined;
  afterAll(() => redis?.remove());

  test("answers PING, survives a restart on the same port, refuses connections once stopped", async () => {
    const server = await timed("redis start", () => startRedis());
    redis = server;
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await pingRedis(server.port)).toBe(true);

    // A second server on a port a Redis already holds fails, even though that port answers PING.
    await expect(startRedis(server.port)).rejects.toThrow(/Address already in use/);
    expect(await pingRedis(server.port)).toBe(true);

    await timed("redis restart", () => server.restart());
    expect(await pingRedis(server.port)).toBe(true);

    await server.stop();
    expect(await connectOutcome(server.port)).toBe("ECONNREFUSED");
    await server.stop(); // Stopping twice is harmless.

    await server.restart(); // Restarting a stopped server starts it again.
    expect(await pingRedis(server.port)).toBe(true);
    await server.stop();
  }, 60_000);

  test("starts on a requested port", async () => {
    const port = await freePort();
    const server = await startRedis(port);
    try {
      expect(server.port).toBe(port);
      expect(await pingRedis(port)).toBe(true);
    } finally {
      await server.remove();
    }
    expect(await connectOutcome(port)).toBe("ECONNREFUSED");
  }, 60_000);

  test("a failed start throws with the server's output", async () => {
    const port = await freePort();
    // Takes the port first; drops every connection so close() does not wait on idle sockets.
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      await expect(startRedis(port)).rejects.toThrow(/exited with code \d+ before answering[\s\S]*Address already in use/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);
});

describe("private PostgreSQL", () => {
  let pg: PostgresServer | undefined;
  afterAll(() => pg?.remove());

  test("answers select 1, survives a restart on the same port, refuses connections once stopped", async () => {
    const server = await timed("postgres initdb + start", () => startPostgres());
    pg = server;
    expect(server.port).not.toBe(5432);
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect(selectOne(server.port)).toBe("1");

    // Data written before the restart is still there after it (same data directory).
    execFileSync("psql", [
      "-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "-d", "postgres",
      "-c", "create table kept (n int); insert into kept values (42)",
    ], { stdio: "ignore" });

    // A second cluster on a port a PostgreSQL already holds fails, though pg_isready would pass.
    await expect(startPostgres(server.port)).rejects.toThrow(/exited with code 1 before accepting connections/);
    expect(selectOne(server.port)).toBe("1");

    await timed("postgres restart", () => server.restart());
    expect(selectOne(server.port)).toBe("1");
    expect(
      execFileSync(
        "psql",
        ["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres", "-d", "postgres", "-tAc", "select n from kept"],
        { encoding: "utf8" },
      ).trim(),
    ).toBe("42");

    await timed("postgres stop", () => server.stop());
    expect(await connectOutcome(server.port)).toBe("ECONNREFUSED");
    expect(() => selectOne(server.port)).toThrow();

    await server.remove();
    expect(existsSync(server.dataDir)).toBe(false);
    pg = undefined;
  }, 120_000);
});
