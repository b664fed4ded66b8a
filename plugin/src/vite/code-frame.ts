/**
 * A few lines of `source` around `line` (1-based) with a caret under `column` (0-based), as Vite's
 * error overlay and terminal show them:
 *
 *   6 |
 *   7 |  export const live = "chat room";
 *     |                      ^
 *   8 |
 */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number++) {
    out.push(`${String(number).padStart(width)} | ${lines[number - 1] ?? ""}`.trimEnd());
    if (number === line) out.push(`${" ".repeat(width)} | ${" ".repeat(column)}^`);
  }
  return out.join("\n");
}
