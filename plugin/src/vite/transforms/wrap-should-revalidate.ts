import type MagicString from "magic-string";
import type { File } from "@babel/types";
import { detachExport, exportWrapped } from "./export-specifiers.js";
import { routeIdArgument, RUNTIME_MODULE } from "./inject-revalidator.js";

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

export type WrapResult = "wrapped" | "already-wrapped" | "unsupported";

export function wrapShouldRevalidate(s: MagicString, ast: File, routeIds: string | readonly string[]): WrapResult {
  if (s.original.includes(WRAP)) return "already-wrapped";
  const own = detachExport(s, ast, "shouldRevalidate");
  if (own === false) return "unsupported";
  const args = [routeIdArgument(routeIds), ...(own ? [own] : [])];
  exportWrapped(s, { name: "shouldRevalidate", module: RUNTIME_MODULE, imported: "liveShouldRevalidate", alias: WRAP, args });
  return "wrapped";
}
