import type MagicString from "magic-string";
import type { ExportNamedDeclaration, File, Identifier, StringLiteral } from "@babel/types";

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

/**
 * Un-exports the module's own export `name`, keeping it as a local binding (a re-export from
 * another module becomes an import), and returns that binding's name, so that a wrapper can be
 * exported under `name` instead; `null` when there is none, `false` for a form it leaves alone (a
 * declaration that exports other names too, `export * as name`).
 */
export function detachExport(s: MagicString, ast: File, name: string): string | null | false {
  for (const statement of ast.program.body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const { declaration } = statement;
    if (declaration?.type === "FunctionDeclaration" && declaration.id?.name === name) {
      s.remove(statement.start!, declaration.start!);
      return name;
    }
    if (declaration?.type === "VariableDeclaration") {
      const names = declaration.declarations.map((declarator) => (declarator.id.type === "Identifier" ? declarator.id.name : null));
      if (!names.includes(name)) continue;
      if (names.length > 1) return false;
      s.remove(statement.start!, declaration.start!);
      return name;
    }
    const index = statement.specifiers.findIndex((specifier) => exportedName(specifier) === name);
    const specifier = statement.specifiers[index];
    if (!specifier) continue;
    if (specifier.type !== "ExportSpecifier") return false;
    removeExportSpecifier(s, statement, index);
    if (!statement.source) return specifier.local.name;
    // `export { shouldRevalidate } from "./shared"` -> `import { shouldRevalidate as __remixLive_own_shouldRevalidate } from "./shared"`
    // (`export { "shouldRevalidate" } from` names it with a string, which an import may too).
    const local = `__remixLive_own_${name}`;
    const source = specifier.local as Identifier | StringLiteral;
    const imported = source.type === "Identifier" ? source.name : JSON.stringify(source.value);
    s.prepend(`import { ${imported} as ${local} } from ${JSON.stringify(statement.source.value)};\n`);
    return local;
  }
  return null;
}

/**
 * Exports `name` as `alias(...args)`, with `alias` the import `imported` of `module`:
 *
 *   import { imported as alias } from "module";
 *   ...
 *   const __remixLive_<name> = alias(...args);
 *   export { __remixLive_<name> as name };
 */
export function exportWrapped(s: MagicString, { name, module, imported, alias, args }: { name: string; module: string; imported: string; alias: string; args: string[] }): void {
  const wrapped = `__remixLive_${name}`;
  s.prepend(`import { ${imported} as ${alias} } from "${module}";\n`);
  s.append(`\nconst ${wrapped} = ${alias}(${args.join(", ")});\nexport { ${wrapped} as ${name} };\n`);
}
