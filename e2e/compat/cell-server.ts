import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { freePort, waitUntilAnswering } from "../instances";
import { cellDir, isReactRouter, nodeBinary, type Cell } from "./cells";

export interface CellServer {
  url: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends the process `signal`, as a deploy (SIGTERM) or Ctrl-C (SIGINT) does, and returns at once. */
  signal(signal: NodeJS.Signals): void;
  /** How the process ended (an exit code, or the signal that killed it); undefined while it runs. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then SIGKILL after 5 s; resolves whether the server exited by itself in time. */
  stop(): Promise<boolean>;
}

/** The command a user of the cell's server would run, from the app's folder. */
function command(cell: Cell, port: number): string[] {
  if (isReactRouter(cell) && cell.server === "dev") return [reactRouterBin(cell, "dev"), "dev", "--port", String(port), "--strictPort"];
  if (isReactRouter(cell) && cell.server === "remix-serve") return [reactRouterBin(cell, "serve"), "./build/server/index.js"];
  switch (cell.server) {
    case "dev":
      return ["node_modules/@remix-run/dev/dist/cli.js", "vite:dev", "--port", String(port), "--strictPort"];
    case "remix-serve":
      return ["node_modules/@remix-run/serve/dist/cli.js", "./build/server/index.js"];
    case "express":
    case "express+handler":
      return ["server.js"];
    case "remix-live-serve":
      return ["node_modules/.bin/remix-live-serve", "./build/server/index.js"];
  }
}

/**
 * Starts the cell's server on a free port with an empty message list, and waits until it answers.
 * `env` adds variables (`REMIX_LIVE_URL`); `messages` names the message file, shared with an
 * emitting script; `host` is passed as `HOST` (the address to listen on), and the server is
 * reached there. `port` starts it again where a stopped server was, keeping its message list.
 */
export async function startCellServer(cell: Cell, { env = {}, messages, host, port }: { env?: Record<string, string>; messages: string; host?: string; port?: number }): Promise<CellServer> {
  if (port === undefined) {
    port = await freePort();
    rmSync(messages, { force: true });
  }
  const dir = cellDir(cell);
  const child = spawn(nodeBinary(cell.node), command(cell, port), {
    cwd: dir,
    env: {
      ...process.env,
      PORT: String(port),
      MESSAGES_FILE: messages,
      NODE_ENV: cell.server === "dev" ? "development" : "production",
      ...(cell.server === "express+handler" ? { WITH_LIVE_HANDLER: "1" } : {}),
      ...(host ? { HOST: host } : {}),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://${host ?? "localhost"}:${port}`;
  await waitUntilAnswering(url, child, { what: `The ${cell.server} server of "${cell.name}"`, timeout: 60_000, details: () => `:\n${output}` });
  return {
    url,
    output: () => output,
    signal: (signal) => void child.kill(signal),
    exitStatus: () => (child.exitCode === null && child.signalCode === null ? undefined : { code: child.exitCode, signal: child.signalCode }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      let graceful = true;
      const kill = setTimeout(() => {
        graceful = false;
        child.kill("SIGKILL");
      }, 5_000);
      await exited;
      clearTimeout(kill);
      return graceful;
    },
  };
}

export function messagesFile(cell: Cell, label: string): string {
  return path.join(cellDir(cell), `messages-${label}.txt`);
}

/** The CLI of @react-router/dev or @react-router/serve (`bin.js` in 7.x, `bin.cjs` in 8.x). */
export function reactRouterBin(cell: Cell, pkg: "dev" | "serve"): string {
  return `node_modules/@react-router/${pkg}/bin.${cell.deps.startsWith("react-router-8") ? "cjs" : "js"}`;
}
