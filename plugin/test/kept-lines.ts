import { originalPositionFor, type SourceMapInput, TraceMap } from "@jridgewell/trace-mapping";
import { expect } from "vitest";

/**
 * Checks that `map` takes every line `output` kept from `input` (a line with a name in it, found
 * once in each) back to that line and column of `source`, and returns how many of those moved.
 */
export function expectKeptLinesMapped(input: string, output: string, map: SourceMapInput, source: string): number {
  const trace = new TraceMap(map);
  const inputLines = input.split("\n");
  const outputLines = output.split("\n");
  const once = (lines: string[], line: string) => lines.indexOf(line) === lines.lastIndexOf(line);
  let moved = 0;
  inputLines.forEach((line, inputIndex) => {
    const outputIndex = outputLines.indexOf(line);
    // Lines with a name in them, so that a lone `}` of the wrapper is not taken for the input's.
    if (!/\w{2}/.test(line) || outputIndex === -1 || !once(inputLines, line) || !once(outputLines, line)) return;
    const column = line.search(/\S/);
    const original = originalPositionFor(trace, { line: outputIndex + 1, column });
    expect(original, `output line ${outputIndex + 1}: ${line.trim()}`).toEqual({ source, line: inputIndex + 1, column, name: null });
    if (outputIndex !== inputIndex) moved += 1;
  });
  return moved;
}
