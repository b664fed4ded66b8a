/**
 * Private broker servers for tests: a Redis or a PostgreSQL of the test's own, on a free port of
 * 127.0.0.1, spawned as a child process (never daemonized) so a test can stop and restart it
 * without touching the shared services on 6379/5432.
 *
 * Every start waits until the server really answers (Redis: `PING` → `+PONG`; PostgreSQL:
 * `pg_isready`), and any failure throws with the child's captured output in the message.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, chownSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const HOST = "127.0.0.1";
/** How long a server may take to answer after being spawned. */
const START_TIMEOUT_MS = 30_000;
/** How long a server may take to exit after being signalled, before it is killed outright. */
const STOP_TIMEOUT_MS = 20_000;
/** How much of a child's output is kept for error messages. */
const OUTPUT_LIMIT = 16_384;

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server and waits until it has exited. Safe to call when already stopped. */
  stop(): Promise<void>;
  /** Stops the server (if running) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops the server (if running) and deletes its temporary directory. */
  remove(): Promise<void>;
}

export interface PostgresServer {
  port: number;
  url: string;
  /** The cluster's data directory (also holds the Unix socket). */
  dataDir: string;
  /** Fast shutdown (SIGINT), waiting until the postmaster has exited. Safe when already stopped. */
  stop(): Promise<void>;
  /** Stops the server (if running) and starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops the server (if running) and deletes its data directory. */
  remove(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (listens on port 0, reads the port, closes). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`Unexpected server address: ${String(address)}`));
        return;
      }
      server.close((error) => (error ? reject(error) : resolve(address.port)));
    });
  });
}

/**
 * Sends one inline command to a Redis on 127.0.0.1:`port`. `read` gets the reply so far and
 * returns `{ value }` once it is complete (or undefined to wait for more); errors, a closed
 * connection and the timeout give `fallback`. Never rejects.
 */
function askRedis<T>(port: number, command: string, read: (reply: string) => { value: T } | undefined, fallback: T, timeoutMs: number): Promise<T> {
  return new Promise((resolve) => {
    let reply = "";
    let settled = false;
    const socket = net.connect({ host: HOST, port });
    const finish = (value: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(fallback), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk: string) => {
      reply += chunk;
      const result = read(reply);
      if (result) finish(result.value);
    });
    socket.on("error", () => finish(fallback));
    socket.on("close", () => finish(fallback));
  });
}

/** Resolves true when a Redis on 127.0.0.1:`port` answers `PING` with `+PONG`. Never rejects. */
export function pingRedis(port: number, timeoutMs = 2_000): Promise<boolean> {
  return askRedis(port, "PING", (reply) => (reply.includes("\r\n") ? { value: reply.startsWith("+PONG") } : undefined), false, timeoutMs);
}

/**
 * The `process_id` a Redis on 127.0.0.1:`port` reports in `INFO server`, or undefined when
 * nothing answers (or not in time). Tells one's own server from another one on the same port.
 */
function redisProcessId(port: number, timeoutMs = 2_000): Promise<number | undefined> {
  return askRedis<number | undefined>(
    port,
    "INFO server",
    (reply) => {
      // A bulk string: "$<length>\r\n<payload>\r\n"; anything else (e.g. "-LOADING") is not ready.
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (!header) return reply.includes("\r\n") ? { value: undefined } : undefined;
      if (Buffer.byteLength(reply) < header[0].length + Number(header[1])) return undefined;
      const pid = /^process_id:(\d+)\r?$/m.exec(reply);
      return { value: pid ? Number(pid[1]) : undefined };
    },
    undefined,
    timeoutMs,
  );
}

/* ------------------------------------------------------------------------------------------ */
/* Child processes                                                                            */
/* ------------------------------------------------------------------------------------------ */

/** A spawned server: its process, the tail of its output, and a promise settled on exit. */
interface Child {
  name: string;
  process: ChildProcess;
  /** The last `OUTPUT_LIMIT` characters of stdout and stderr, interleaved. */
  output(): string;
  /** Set once the process has exited (or failed to spawn). */
  exited: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
  exit: Promise<void>;
}

/** Children still running, so an exiting test process does not leave servers behind. */
const running = new Map<ChildProcess, NodeJS.Signals>();
/** Directories of servers not yet removed, each with how to delete it when the process exits. */
const leftoverDirs = new Map<string, () => void>();
let exitHookInstalled = false;

function cleanUpOnExit(): void {
  for (const [child, signal] of running) child.kill(signal);
  running.clear();
  for (const removeDir of leftoverDirs.values()) removeDir();
  leftoverDirs.clear();
}

/**
 * Stops leftover servers and deletes their directories when the test process ends: on a normal
 * exit, and on SIGTERM, which is how vitest's worker pool ends its workers (no "exit" event then).
 * After cleaning up, SIGTERM is raised again when nothing else listens for it, so the process
 * still dies of it as before.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", cleanUpOnExit);
  process.once("SIGTERM", () => {
    cleanUpOnExit();
    if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
  });
}

function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string; stopSignal: NodeJS.Signals },
): Child {
  installExitHook();
  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const result: Child = {
    name,
    process: child,
    output: () => output,
    exited: undefined,
    exit: new Promise<void>((resolve) => {
      child.once("error", (error) => {
        // Spawn failures (ENOENT, EACCES) emit "error" and possibly no "exit".
        result.exited ??= { code: null, signal: null, error };
        running.delete(child);
        resolve();
      });
      child.once("exit", (code, signal) => {
        result.exited ??= { code, signal };
        running.delete(child);
        resolve();
      });
    }),
  };
  running.set(child, options.stopSignal);
  return result;
}

function describeExit(child: Child): string {
  const exited = child.exited;
  if (!exited) return "is still running";
  if (exited.error) return `failed to spawn (${exited.error.message})`;
  return exited.signal ? `was killed by ${exited.signal}` : `exited with code ${exited.code}`;
}

function withOutput(message: string, child: Child): Error {
  const output = child.output().trim();
  return new Error(`${message}\n--- ${child.name} output ---\n${output || "(no output)"}`);
}

/**
 * Polls `ready()` until it resolves true. Throws (with the child's output) when the child exits
 * first or `timeoutMs` passes; on timeout the child is stopped so it does not linger.
 */
async function waitUntilReady(
  child: Child,
  ready: () => Promise<boolean>,
  what: string,
  intervalMs: number,
  stopSignal: NodeJS.Signals,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exited) throw withOutput(`${child.name} ${describeExit(child)} before ${what}`, child);
    // An exit during a probe ends the wait at once, without waiting out the probe's timeout.
    if (await Promise.race([ready(), child.exit.then(() => false)])) return;
    if (child.exited) throw withOutput(`${child.name} ${describeExit(child)} before ${what}`, child);
    if (Date.now() >= deadline) {
      await stopChild(child, stopSignal).catch(() => undefined);
      throw withOutput(`${child.name} was still not ${what} after ${timeoutMs} ms; stopped it`, child);
    }
    await delay(intervalMs);
  }
}

/** Sends `signal` and waits for exit; escalates to SIGKILL after `STOP_TIMEOUT_MS`. */
async function stopChild(child: Child, signal: NodeJS.Signals): Promise<void> {
  if (child.exited) return;
  child.process.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
  });
  const late = await Promise.race([child.exit.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.process.kill("SIGKILL");
    await child.exit;
    throw withOutput(`${child.name} did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}; killed it`, child);
  }
}

/** True when a start failed only because another process took the port first. */
function lostPortRace(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /address already in use|could not bind|could not create any TCP\/IP sockets/i.test(message);
}

/**
 * Starts a server via `start(port)`; when no port was asked for and the free port picked was taken
 * between `freePort()` and the bind, tries again with another one.
 */
async function onFreePort<T>(requested: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  if (requested !== undefined) return start(requested);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt >= 3 || !lostPortRace(error)) throw error;
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Redis                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * Starts a private `redis-server` on `port` (default: a free one) with no persistence, in a
 * fresh temporary directory, and waits until it answers `PING`.
 */
export function startRedis(port?: number): Promise<RedisServer> {
  return onFreePort(port, async (chosen) => {
    const dir = mkdtempSync(path.join(tmpdir(), "redis-test-"));
    installExitHook();
    leftoverDirs.set(dir, () => rmSync(dir, { recursive: true, force: true }));
    const launch = async (): Promise<Child> => {
      const child = spawnChild(
        `redis-server on port ${chosen}`,
        "redis-server",
        ["--port", String(chosen), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", dir],
        { stopSignal: "SIGTERM" },
      );
      // Readiness is "answers, and it is this child answering": PING alone could be answered by
      // another server already holding the port while this one is failing to bind it.
      await waitUntilReady(
        child,
        async () => (await redisProcessId(chosen, 1_000)) === child.process.pid,
        "answering INFO with its own process id",
        25,
        "SIGTERM",
      );
      return child;
    };

    let child: Child;
    try {
      child = await launch();
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      leftoverDirs.delete(dir);
      throw error;
    }
    const stop = () => stopChild(child, "SIGTERM");
    return {
      port: chosen,
      url: `redis://${HOST}:${chosen}`,
      stop,
      async restart() {
        await stop();
        child = await launch();
      },
      async remove() {
        await stop();
        rmSync(dir, { recursive: true, force: true });
        leftoverDirs.delete(dir);
      },
    };
  });
}

/* ------------------------------------------------------------------------------------------ */
/* PostgreSQL                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * The directory holding `initdb` and `postgres`: `$PG_BIN` if set, else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian keeps them off PATH), else PATH.
 */
function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, "bin", "postgres")))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin");
}

function postgresBinary(name: "initdb" | "postgres"): string {
  const dir = postgresBinDir();
  return dir ? path.join(dir, name) : name;
}

/**
 * The user PostgreSQL runs as: it refuses to run as root, so as root the `postgres` account is
 * used; any other user runs it as themselves.
 */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

function pgIsReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("pg_isready", ["-h", HOST, "-p", String(port), "-t", "2"], { timeout: 5_000 }, (error) =>
      resolve(!error),
    );
  });
}

/**
 * Deletes a data directory once its postmaster is gone, for use while the test process exits:
 * the postmaster (just sent SIGINT) removes `postmaster.pid` as the last step of its shutdown, so
 * a detached shell polls for that file (for at most 30 s) and then deletes the directory.
 */
function removeDataDirAfterShutdown(dataDir: string): void {
  if (!existsSync(path.join(dataDir, "postmaster.pid"))) {
    rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const script =
    'deadline=$((SECONDS + 30)); ' +
    'while [ -e "$1/postmaster.pid" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done; ' +
    '[ -e "$1/postmaster.pid" ] || rm -rf -- "$1"';
  spawn("bash", ["-c", script, "remove-pg-data-dir", dataDir], { detached: true, stdio: "ignore" }).unref();
}

/** Runs a one-value query with psql against 127.0.0.1:`port`; undefined when it fails. */
function psqlValue(port: number, sql: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "psql",
      ["-h", HOST, "-p", String(port), "-U", "postgres", "-d", "postgres", "-XtAc", sql],
      { timeout: 5_000, encoding: "utf8" },
      (error, stdout) => resolve(error ? undefined : stdout.trim()),
    );
  });
}

/**
 * Ready once `pg_isready` succeeds and the server answering is the one on `dataDir` (another
 * PostgreSQL already holding the port would pass `pg_isready` too).
 */
async function postgresReady(port: number, dataDir: string): Promise<boolean> {
  if (!(await pgIsReady(port))) return false;
  return (await psqlValue(port, "show data_directory")) === dataDir;
}

/** Runs `initdb` to completion, throwing with its output when it fails. */
async function initdb(dataDir: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  const child = spawnChild(
    "initdb",
    postgresBinary("initdb"),
    // --no-sync: a throwaway cluster needs no fsync, and skipping it saves seconds.
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "--no-locale", "-E", "UTF8"],
    { ...owner, cwd: dataDir, stopSignal: "SIGTERM" },
  );
  await child.exit;
  if (child.exited?.error || child.exited?.code !== 0) {
    throw withOutput(`initdb -D ${dataDir} ${describeExit(child)}`, child);
  }
}

/**
 * Starts a private PostgreSQL on `port` (default: a free one): a fresh cluster in a temporary
 * data directory (trust auth, superuser `postgres`), listening on 127.0.0.1 only, with its Unix
 * socket in the data directory. Resolves once `pg_isready` succeeds.
 */
export function startPostgres(port?: number): Promise<PostgresServer> {
  const owner = postgresOwner();
  return onFreePort(port, async (chosen) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "pg-test-"));
    installExitHook();
    leftoverDirs.set(dataDir, () => removeDataDirAfterShutdown(dataDir));
    const launch = async (): Promise<Child> => {
      const child = spawnChild(
        `postgres on port ${chosen}`,
        postgresBinary("postgres"),
        ["-D", dataDir, "-p", String(chosen), "-c", "listen_addresses=127.0.0.1", "-k", dataDir, "-c", "fsync=off"],
        { ...owner, cwd: dataDir, stopSignal: "SIGINT" },
      );
      await waitUntilReady(
        child,
        () => postgresReady(chosen, dataDir),
        "accepting connections on its own data directory",
        50,
        "SIGINT",
      );
      return child;
    };

    let child: Child;
    try {
      if (owner) chownSync(dataDir, owner.uid, owner.gid);
      await initdb(dataDir, owner);
      child = await launch();
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      leftoverDirs.delete(dataDir);
      throw error;
    }
    // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
    const stop = () => stopChild(child, "SIGINT");
    return {
      port: chosen,
      url: `postgres://postgres@${HOST}:${chosen}/postgres`,
      dataDir,
      stop,
      async restart() {
        await stop();
        child = await launch();
      },
      async remove() {
        await stop();
        rmSync(dataDir, { recursive: true, force: true });
        leftoverDirs.delete(dataDir);
      },
    };
  });
}
