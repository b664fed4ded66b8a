/**
 * Separate Node processes for tests that need what one test process cannot show: a second server
 * process, a fresh `globalThis`, a folder where some packages cannot be resolved. Each child runs
 * an ES module script, reads lines on stdin and writes lines on stdout, and every child still
 * running when a test ends is killed by `killChildren()`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The built `remix-live/server` (run `npm run build -w remix-live` first). */
export const DIST_SERVER = path.resolve(import.meta.dirname, "../dist/server/index.js");
export const DIST_SERVER_URL = pathToFileURL(DIST_SERVER).href;

export function assertBuilt(): void {
  if (!existsSync(DIST_SERVER)) throw new Error(`${DIST_SERVER} is missing: run \`npm run build -w remix-live\` first`);
}

export interface NodeChild {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Writes one line to the child's stdin. */
  send(line: string): void;
  /** Resolves once stdout holds `text`; rejects when the child exits first or after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Closes stdin and resolves with the exit code once the child has exited (rejects after `timeoutMs`). */
  finish(timeoutMs?: number): Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** Kills every child a test left running. */
export function killChildren(): void {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}

/**
 * Runs `script` (ES module source) with `node`, from `cwd` (default: this folder) with `env` added
 * to the test process's environment (a value of `undefined` removes the variable).
 */
export function runNode(
  script: string,
  { env = {}, cwd = import.meta.dirname, nodeArgs = [] }: { env?: Record<string, string | undefined>; cwd?: string; nodeArgs?: string[] } = {},
): NodeChild {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete environment[name];
    else environment[name] = value;
  }
  const child = spawn(process.execPath, [...nodeArgs, "--input-type=module", "--eval", script], {
    cwd,
    env: environment,
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    // "close", not "exit": by then all of the child's output has been read.
    child.once("close", (code) => {
      exitCode = code;
      children.delete(child);
      resolve(code);
    });
  });
  const describe = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
    waitForOutput(text, timeoutMs = 15_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text)) return done(() => resolve());
          if (exitCode !== undefined) return done(() => reject(new Error(`the child exited (${exitCode}) before printing ${JSON.stringify(text)}\n${describe()}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`the child did not print ${JSON.stringify(text)} within ${timeoutMs} ms\n${describe()}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          child.stdout!.off("data", check);
          child.off("close", check);
          settle();
        };
        child.stdout!.on("data", check);
        child.on("close", check);
        check();
      });
    },
    finish(timeoutMs = 15_000) {
      child.stdin!.end();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the child did not exit within ${timeoutMs} ms of its stdin closing\n${describe()}`)), timeoutMs);
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
  };
}
