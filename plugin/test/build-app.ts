import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = import.meta.dirname;
const template = path.join(here, "template");
const remixCli = path.resolve(here, "../../node_modules/@remix-run/dev/dist/cli.js");

export interface BuiltApp {
  dir: string;
  ok: boolean;
  output: string;
  read(file: string): string;
}

/**
 * Lays out a throwaway Remix app: the template plus `files`, in a folder inside this package so
 * that it resolves `remix-live` and Remix from the workspace's node_modules. Returns its folder.
 */
export async function createApp(name: string, files: Record<string, string>, { packedPlugin }: { packedPlugin?: string } = {}): Promise<string> {
  const dir = path.join(here, ".apps", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  created.add(dir);
  cpSync(template, dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  if (packedPlugin) {
    // As `npm install remix-live-x.y.z.tgz` would: the app's own node_modules wins over the workspace link.
    const target = path.join(dir, "node_modules", "remix-live");
    mkdirSync(target, { recursive: true });
    await run("tar", ["-xzf", packedPlugin, "-C", target, "--strip-components=1"]);
  }
  return dir;
}

/** Builds a throwaway app (see `createApp`) with `remix vite:build`. */
export async function buildApp(
  name: string,
  files: Record<string, string>,
  options: { packedPlugin?: string } = {},
): Promise<BuiltApp> {
  const dir = await createApp(name, files, options);
  let ok = true;
  let output = "";
  try {
    const result = await run(process.execPath, [remixCli, "vite:build"], { cwd: dir, env: { ...process.env, NODE_ENV: "production" } });
    output = result.stdout + result.stderr;
  } catch (error) {
    ok = false;
    const failure = error as { stdout?: string; stderr?: string; message: string };
    output = `${failure.stdout ?? ""}${failure.stderr ?? ""}${failure.message}`;
  }
  return { dir, ok, output, read: (file) => readFileSync(path.join(dir, file), "utf8") };
}

/** Packs the plugin as `npm pack` would publish it; returns the tarball's path and file list. */
export async function packPlugin(): Promise<{ tarball: string; files: string[] }> {
  const destination = path.join(here, ".apps");
  mkdirSync(destination, { recursive: true });
  // Without scripts: `prepack` would rebuild dist/ while other test files load it; `npm run test:unit` builds first.
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], { cwd: path.resolve(here, "..") });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  created.add(path.join(destination, info!.filename));
  return { tarball: path.join(destination, info!.filename), files: info!.files.map((file) => file.path) };
}

/** The apps (and tarballs) this test file made; test files run in parallel, each removes only its own. */
const created = new Set<string>();

export function removeApps(): void {
  for (const entry of created) rmSync(entry, { recursive: true, force: true });
  created.clear();
}
