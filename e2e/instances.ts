import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { PLAYGROUND } from "./servers";

/** One more production server of the playground, as a scaled-out deployment would run it. */
export interface Instance {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Waits until the server `child` started answers `/live-stats` at `url`; `details()` adds to the error when it does not. */
export async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  { what, timeout, details = () => "" }: { what: string; timeout: number; details?: () => string },
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}${details()}`);
    try {
      if ((await fetch(`${url}/live-stats`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start${details()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Removes a SQLite database and its WAL files, so a group of instances starts from nothing. */
export function freshDatabase(name: string): string {
  const file = path.join(PLAYGROUND, "data", `${name}.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  return file;
}

/**
 * Starts `remix-serve` on the playground's build with `REMIX_LIVE_URL` set (`memory:` for none), on
 * `port` or a free one, and waits until it answers.
 */
export async function startInstance({ database, liveUrl, port: wanted }: { database: string; liveUrl: string; port?: number }): Promise<Instance> {
  const port = wanted ?? (await freePort());
  const child: ChildProcess = spawn(path.resolve(PLAYGROUND, "../node_modules/.bin/remix-serve"), ["./build/server/index.js"], {
    cwd: PLAYGROUND,
    env: { ...process.env, PORT: String(port), DATABASE_PATH: database, REMIX_LIVE_URL: liveUrl, NODE_ENV: "production" },
    stdio: process.env.E2E_SERVER_LOGS ? "inherit" : "ignore",
  });
  const url = `http://localhost:${port}`;
  await waitUntilAnswering(url, child, { what: `remix-serve on ${port}`, timeout: 30_000 });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
