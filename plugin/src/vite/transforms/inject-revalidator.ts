import MagicString from "magic-string";
import type { File, Statement } from "@babel/types";

/**
 * Makes a live route's page follow its stream, without touching the user's component:
 *
 *   export default function Chat() { ... }
 * becomes
 *   import { createElement as __remixLive_createElement } from "react";
 *   import { useLiveRoute as __remixLive_useLiveRoute } from "remix-live/react";
 *   function Chat() { ... }
 *   export default function RemixLive_Chat(props) {
 *     __remixLive_useLiveRoute("routes/chat");
 *     return __remixLive_createElement(Chat, props);
 *   }
 *
 * The wrapper has a capitalised name, so Remix's React Refresh step (which runs after this
 * transform) registers it and Fast Refresh keeps the page's state across edits.
 */
export const RUNTIME_MODULE = "remix-live/react";
const HOOK = "__remixLive_useLiveRoute";
const CREATE_ELEMENT = "__remixLive_createElement";
const PAGE = "RemixLive_Page";

export type InjectResult =
  | { kind: "injected"; output: MagicString }
  | { kind: "unchanged"; reason: "already-injected" | "no-default-export" | "unsupported-default-export" };

export function injectRevalidator(code: string, ast: File, routeId: string): InjectResult {
  if (code.includes(HOOK)) return { kind: "unchanged", reason: "already-injected" };
  const body = ast.program.body;
  const s = new MagicString(code);
  const page = detachDefaultExport(s, body);
  if (typeof page !== "string") return { kind: "unchanged", reason: page.reason };

  s.prepend(
    `import { createElement as ${CREATE_ELEMENT} } from "react";\n` +
      `import { useLiveRoute as ${HOOK} } from "${RUNTIME_MODULE}";\n`,
  );
  s.append(
    `\nexport default function RemixLive_${page}(props) {\n` +
      `  ${HOOK}(${JSON.stringify(routeId)});\n` +
      `  return ${CREATE_ELEMENT}(${page}, props);\n` +
      `}\n`,
  );
  return { kind: "injected", output: s };
}

/**
 * Removes the module's default export while keeping the component as a local binding, and
 * returns that binding's name.
 */
function detachDefaultExport(
  s: MagicString,
  body: Statement[],
): string | { reason: "no-default-export" | "unsupported-default-export" } {
  for (const statement of body) {
    if (statement.type === "ExportDefaultDeclaration") {
      const { declaration } = statement;
      const start = statement.start!;
      if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) {
        // `export default function Chat() {}` -> `function Chat() {}`
        s.remove(start, declaration.start!);
        return declaration.id.name;
      }
      // `export default memo(Chat);` / anonymous functions -> `const RemixLive_Page = ...;`
      s.overwrite(start, declaration.start!, `const ${PAGE} = `);
      if (s.original[statement.end! - 1] !== ";") s.appendLeft(statement.end!, ";");
      return PAGE;
    }
    if (statement.type === "ExportNamedDeclaration" && !statement.source) {
      const index = statement.specifiers.findIndex(
        (specifier) =>
          specifier.type === "ExportSpecifier" &&
          (specifier.exported.type === "Identifier" ? specifier.exported.name : specifier.exported.value) === "default",
      );
      if (index === -1) continue;
      const specifier = statement.specifiers[index]!;
      if (specifier.type !== "ExportSpecifier") continue;
      // `export { Chat as default, loader }` -> `export { loader }`
      if (statement.specifiers.length === 1) s.remove(statement.start!, statement.end!);
      else {
        const next = statement.specifiers[index + 1];
        const previous = statement.specifiers[index - 1];
        if (next) s.remove(specifier.start!, next.start!);
        else s.remove(previous!.end!, specifier.end!);
      }
      return specifier.local.name;
    }
    if (statement.type === "ExportNamedDeclaration" && statement.source) {
      const reexportsDefault = statement.specifiers.some(
        (specifier) =>
          (specifier.exported.type === "Identifier" ? specifier.exported.name : specifier.exported.value) === "default",
      );
      if (reexportsDefault) return { reason: "unsupported-default-export" };
    }
  }
  return { reason: "no-default-export" };
}
