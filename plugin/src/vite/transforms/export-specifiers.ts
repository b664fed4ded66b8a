import type MagicString from "magic-string";
import type { ExportNamedDeclaration } from "@babel/types";

export function exportedName(specifier: ExportNamedDeclaration["specifiers"][number]): string {
  return specifier.exported.type === "Identifier" ? specifier.exported.name : specifier.exported.value;
}

/** Removes the specifier at `index` from an export list: `export { a, b as c }` -> `export { a }`, or the whole statement if it was the only one. */
export function removeExportSpecifier(s: MagicString, statement: ExportNamedDeclaration, index: number): void {
  const specifier = statement.specifiers[index]!;
  if (statement.specifiers.length === 1) return void s.remove(statement.start!, statement.end!);
  const next = statement.specifiers[index + 1];
  if (next) s.remove(specifier.start!, next.start!);
  else s.remove(statement.specifiers[index - 1]!.end!, specifier.end!);
}
