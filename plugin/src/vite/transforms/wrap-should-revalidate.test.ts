import MagicString from "magic-string";
import { describe, expect, test } from "vitest";
import { parseModule } from "../parse-module.js";
import { exportsOf } from "../../../test/module-exports.js";
import { wrapShouldRevalidate } from "./wrap-should-revalidate.js";

function wrap(code: string, routeIds: string | string[] = "routes/chat"): { result: string; code: string } {
  const s = new MagicString(code);
  const result = wrapShouldRevalidate(s, parseModule(code, "/app/routes/chat.js"), routeIds);
  return { result, code: s.toString() };
}

describe("wrapShouldRevalidate", () => {
  test.each([
    ["no shouldRevalidate", `export function loader() {}\nexport default function Chat() {}`, `("routes/chat")`],
    ["a function declaration", `export function shouldRevalidate({ defaultShouldRevalidate }) { return defaultShouldRevalidate; }`, `("routes/chat", shouldRevalidate)`],
    ["a const", `export const shouldRevalidate = () => false;`, `("routes/chat", shouldRevalidate)`],
    ["a specifier among others", `const keep = () => true;\nfunction loader() {}\nexport { loader, keep as shouldRevalidate };`, `("routes/chat", keep)`],
    ["a re-export from another module", `export { shouldRevalidate, meta } from "./shared";`, `("routes/chat", __remixLive_own_shouldRevalidate)`],
    ["a re-export named with a string", `export { "shouldRevalidate" } from "./shared";`, `("routes/chat", __remixLive_own_shouldRevalidate)`],
  ])("%s: the module exports one shouldRevalidate, the wrapper around the route's own", (_, input, call) => {
    const { result, code } = wrap(input);
    expect(result).toBe("wrapped");
    expect(code).toContain(`import { liveShouldRevalidate as __remixLive_wrapShouldRevalidate } from "remix-live/react";`);
    expect(code).toContain(`const __remixLive_shouldRevalidate = __remixLive_wrapShouldRevalidate${call};`);
    expect(exportsOf(code).filter((name) => name === "shouldRevalidate")).toHaveLength(1);
    // The other exports stay.
    for (const name of exportsOf(input).filter((name) => name !== "shouldRevalidate")) expect(exportsOf(code)).toContain(name);
    expect(wrap(code).result).toBe("already-wrapped");
  });

  test("a module that several routes share (one file mounted at two URLs) passes every route's id", () => {
    expect(wrap(`export function loader() {}`, ["routes/rooms.$id", "lobby"]).code).toContain(`__remixLive_wrapShouldRevalidate(["routes/rooms.$id","lobby"]);`);
  });

  test.each([
    ["a declaration that exports other names too", `export const loader = 1, shouldRevalidate = () => true;`],
  ])("%s is left as it is", (_, input) => {
    expect(wrap(input)).toEqual({ result: "unsupported", code: input });
  });
});
