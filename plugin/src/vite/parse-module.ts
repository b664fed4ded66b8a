import { parse } from "@babel/parser";
import type { File } from "@babel/types";

/**
 * Parses a route module as written (TypeScript, JSX) or as Vite hands it to a transform (plain
 * JavaScript). Babel gives exact lines and columns, which build errors must name.
 */
export function parseModule(code: string, file: string): File {
  const typescript = /\.[cm]?tsx?$/.test(file);
  // `<T>value` casts in .ts files conflict with JSX, so JSX is only enabled where it can appear.
  const jsx = !/\.[cm]?ts$/.test(file);
  return parse(code, {
    sourceType: "module",
    sourceFilename: file,
    plugins: [...(typescript ? (["typescript"] as const) : []), ...(jsx ? (["jsx"] as const) : [])],
  });
}
