import MagicString from "magic-string";
import { describe, expect, test } from "vitest";
import { exportsOf } from "../../../test/module-exports.js";
import { parseModule } from "../parse-module.js";
import { wrapAction } from "./wrap-action.js";

function wrap(code: string): { result: string; code: string } {
  const s = new MagicString(code);
  const result = wrapAction(s, parseModule(code, "/app/routes/chat.js"));
  return { result, code: s.toString() };
}

describe("wrapAction", () => {
  test.each([
    ["an async function declaration", `export async function action({ request }) { return null; }\nexport default function Chat() {}`, "action"],
    ["a const", `export const action = async () => null;`, "action"],
    ["a specifier among others", `const post = () => null;\nfunction loader() {}\nexport { loader, post as action };`, "post"],
    ["a re-export from another module", `export { action, loader } from "./shared";`, "__remixLive_own_action"],
  ])("%s: the module exports one action, the route's own inside withEmitOrigin", (_, input, local) => {
    const { result, code } = wrap(input);
    expect(result).toBe("wrapped");
    expect(code).toContain(`import { withEmitOrigin as __remixLive_withEmitOrigin } from "remix-live/server";`);
    expect(code).toContain(`const __remixLive_action = __remixLive_withEmitOrigin(${local});`);
    expect(exportsOf(code).filter((name) => name === "action")).toHaveLength(1);
    for (const name of exportsOf(input).filter((name) => name !== "action")) expect(exportsOf(code)).toContain(name);
    expect(wrap(code).result).toBe("already-wrapped");
  });

  test("a module without an action is left as it is", () => {
    const input = `export function loader() { return null; }`;
    expect(wrap(input)).toEqual({ result: "no-action", code: input });
  });

  test.each([
    ["a declaration that exports other names too", `export const loader = 1, action = () => null;`],
  ])("%s is left as it is", (_, input) => {
    expect(wrap(input)).toEqual({ result: "unsupported", code: input });
  });
});
