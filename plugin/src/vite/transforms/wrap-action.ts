import type MagicString from "magic-string";
import type { File } from "@babel/types";
import { detachExport, exportWrapped } from "./export-specifiers.js";

/**
 * Lets the tab whose submission caused an event recognise it (see server/emit-origin.ts). The
 * server's copy of every route module that has an action gets it wrapped:
 *
 *   export async function action({ request }) { ... }
 * becomes
 *   import { withEmitOrigin as __remixLive_withEmitOrigin } from "remix-live/server";
 *   async function action({ request }) { ... }
 *   const __remixLive_action = __remixLive_withEmitOrigin(action);
 *   export { __remixLive_action as action };
 *
 * The action runs unchanged; emits made while it runs carry the submitting tab's origin id.
 */
const WRAP = "__remixLive_withEmitOrigin";
const SERVER_MODULE = "remix-live/server";

export type WrapActionResult = "wrapped" | "already-wrapped" | "no-action" | "unsupported";

export function wrapAction(s: MagicString, ast: File): WrapActionResult {
  if (s.original.includes(WRAP)) return "already-wrapped";
  const own = detachExport(s, ast, "action");
  if (own === null) return "no-action";
  if (own === false) return "unsupported";
  exportWrapped(s, { name: "action", module: SERVER_MODULE, imported: "withEmitOrigin", alias: WRAP, args: [own] });
  return "wrapped";
}
