import type MagicString from "magic-string";
import type { File } from "@babel/types";
import { exportedName, removeExportSpecifier } from "./export-specifiers.js";
import { RUNTIME_MODULE } from "./inject-revalidator.js";

/**
 * Lets a live event re-run only the loaders of the routes that follow its channel. Every route
 * module gets a `shouldRevalidate` that, during a live revalidation, answers whether this route is
 * one the event was for, and otherwise behaves exactly as before:
 *
 *   export function shouldRevalidate({ defaultShouldRevalidate }) { ... }
 * becomes
 *   import { liveShouldRevalidate as __remixLive_wrapShouldRevalidate } from "remix-live/react";
 *   function shouldRevalidate({ defaultShouldRevalidate }) { ... }
 *   const __remixLive_shouldRevalidate = __remixLive_wrapShouldRevalidate("routes/chat", shouldRevalidate);
 *   export { __remixLive_shouldRevalidate as shouldRevalidate };
 *
 * and a module without one gets `__remixLive_wrapShouldRevalidate("routes/chat")`. The route's own
 * function keeps the last word: during a live revalidation it is called with
 * `defaultShouldRevalidate` saying whether the event was for this route.
 */
const WRAP = "__remixLive_wrapShouldRevalidate";
const WRAPPED = "__remixLive_shouldRevalidate";

export type WrapResult = "wrapped" | "already-wrapped" | "unsupported";

export function wrapShouldRevalidate(s: MagicString, ast: File, routeId: string): WrapResult {
  if (s.original.includes(WRAP)) return "already-wrapped";
  const own = detachShouldRevalidate(s, ast);
  if (own === false) return "unsupported";
  s.prepend(`import { liveShouldRevalidate as ${WRAP} } from "${RUNTIME_MODULE}";\n`);
  const args = [JSON.stringify(routeId), ...(own ? [own] : [])].join(", ");
  s.append(`\nconst ${WRAPPED} = ${WRAP}(${args});\nexport { ${WRAPPED} as shouldRevalidate };\n`);
  return "wrapped";
}

/**
 * Un-exports the module's own `shouldRevalidate`, keeping it as a local binding, and returns that
 * binding's name; `null` when there is none, `false` for forms it leaves alone (a re-export from
 * another module, or a declaration that exports other names too).
 */
function detachShouldRevalidate(s: MagicString, ast: File): string | null | false {
  for (const statement of ast.program.body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const { declaration } = statement;
    if (declaration?.type === "FunctionDeclaration" && declaration.id?.name === "shouldRevalidate") {
      s.remove(statement.start!, declaration.start!);
      return "shouldRevalidate";
    }
    if (declaration?.type === "VariableDeclaration") {
      const names = declaration.declarations.map((declarator) => (declarator.id.type === "Identifier" ? declarator.id.name : null));
      if (!names.includes("shouldRevalidate")) continue;
      if (names.length > 1) return false;
      s.remove(statement.start!, declaration.start!);
      return "shouldRevalidate";
    }
    const index = statement.specifiers.findIndex((specifier) => exportedName(specifier) === "shouldRevalidate");
    const specifier = statement.specifiers[index];
    if (!specifier) continue;
    if (statement.source || specifier.type !== "ExportSpecifier") return false;
    removeExportSpecifier(s, statement, index);
    return specifier.local.name;
  }
  return null;
}
