import { parseModule } from "../src/vite/parse-module.js";

/** The names a module exports, read from its AST. */
export function exportsOf(code: string): string[] {
  return parseModule(code, "/x.js").program.body.flatMap((statement) => {
    if (statement.type !== "ExportNamedDeclaration") return [];
    const declared = statement.declaration?.type === "FunctionDeclaration" ? [statement.declaration.id!.name] : [];
    const variables = statement.declaration?.type === "VariableDeclaration" ? statement.declaration.declarations.map((d) => (d.id as { name: string }).name) : [];
    const specified = statement.specifiers.map((specifier) => (specifier.exported.type === "Identifier" ? specifier.exported.name : specifier.exported.value));
    return [...declared, ...variables, ...specified];
  });
}
