import type MagicString from "magic-string";
import type { File, Statement } from "@babel/types";
import { exportedName, removeExportSpecifier } from "./export-specifiers.js";

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
 * `export { Chat as default }`, anonymous defaults and `export { default } from "./page"` are
 * handled the same way, through a local binding.
 *
 * The wrapper has a capitalised name, so Remix's React Refresh step (which runs after this
 * transform) registers it and Fast Refresh keeps the page's state across edits.
 */
export const RUNTIME_MODULE = "remix-live/react";
const HOOK = "__remixLive_useLiveRoute";
const CREATE_ELEMENT = "__remixLive_createElement";
const PAGE = "RemixLive_Page";

export type InjectResult = "injected" | "already-injected" | "no-default-export" | "unsupported-default-export";

/**
 * The route ids of a module as the runtime takes them: `"routes/chat"`, or, for a file that is the
 * module of several routes, `["routes/rooms", "lobby"]` (the page finds which one it renders).
 */
export function routeIdArgument(routeIds: string | readonly string[]): string {
  return JSON.stringify(typeof routeIds === "string" || routeIds.length > 1 ? routeIds : routeIds[0]);
}

/**
 * Edits `s` (whose original is the code `ast` was parsed from); changes nothing unless it returns
 * "injected". `coalesceWindow` (ms), when set, is passed on to the runtime: `useLiveRoute("routes/chat", 80)`.
 */
export function injectRevalidator(s: MagicString, ast: File, routeIds: string | readonly string[], coalesceWindow?: number): InjectResult {
  if (s.original.includes(HOOK)) return "already-injected";
  const page = detachDefaultExport(s, ast.program.body);
  if (typeof page !== "string") return page.reason;

  s.prepend(
    `import { createElement as ${CREATE_ELEMENT} } from "react";\n` +
      `import { useLiveRoute as ${HOOK} } from "${RUNTIME_MODULE}";\n`,
  );
  const wrapper = page === PAGE ? "RemixLive_Route" : `RemixLive_${page}`;
  s.append(
    `\nexport default function ${wrapper}(props) {\n` +
      `  ${HOOK}(${[routeIdArgument(routeIds), ...(coalesceWindow === undefined ? [] : [String(coalesceWindow)])].join(", ")});\n` +
      `  return ${CREATE_ELEMENT}(${page}, props);\n` +
      `}\n`,
  );
  return "injected";
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
    if (statement.type !== "ExportNamedDeclaration") continue;
    const index = statement.specifiers.findIndex((specifier) => exportedName(specifier) === "default");
    const specifier = statement.specifiers[index];
    if (!specifier) continue;
    if (specifier.type !== "ExportSpecifier") return { reason: "unsupported-default-export" };
    // `export { Chat as default, loader }` -> `export { loader }`
    removeExportSpecifier(s, statement, index);
    if (!statement.source) return specifier.local.name;
    // `export { default } from "./page"` -> `import { default as RemixLive_Page } from "./page"`
    s.prepend(`import { ${specifier.local.name} as ${PAGE} } from ${JSON.stringify(statement.source.value)};\n`);
    return PAGE;
  }
  return { reason: "no-default-export" };
}
