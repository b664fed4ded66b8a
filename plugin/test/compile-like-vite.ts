import { readFileSync } from "node:fs";
import { transformSync } from "esbuild";

/**
 * A route module as Vite hands it to remix-live's transform: TypeScript and JSX compiled by
 * esbuild with the options of Vite's own esbuild step. For tests only.
 */
export function compileLikeVite(file: string): string {
  return transformSync(readFileSync(file, "utf8"), { loader: "tsx", jsx: "automatic", sourcefile: file }).code;
}
