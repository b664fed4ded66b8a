import { describe, expect, test } from "vitest";
import { detectLiveExport, LiveExportError } from "./detect.js";

const detect = (code: string, file = "app/routes/chat.tsx") => detectLiveExport(code, file);

describe("detectLiveExport finds the channel", () => {
  test.each([
    ["a const export", `export const live = "chat";`],
    ["single quotes", `export const live = 'chat'`],
    ["a plain template literal", "export const live = `chat`;"],
    ["`as const`", `export const live = "chat" as const;`],
    ["`satisfies`", `export const live = "chat" satisfies string;`],
    ["a local exported by name", `const live = "chat";\nexport { live };`],
    ["a renamed export", `const channel = "chat";\nexport { channel as live };`],
    ["a reference to a constant", `const CHAT = "chat";\nexport const live = CHAT;`],
    ["a string-named export", `const channel = "chat";\nexport { channel as "live" };`],
  ])("%s", (_, code) => {
    expect(detect(code)).toMatchObject({ kind: "channels", channels: ["chat"] });
  });

  test("with TypeScript and JSX around it", () => {
    const code = [
      `import type { LoaderFunctionArgs } from "@remix-run/node";`,
      `enum Kind { A, B }`,
      `export const live: string = "room:lobby";`,
      `export async function loader(args: LoaderFunctionArgs) { return null; }`,
      `export default function Page() { return <p>Don't "live" here</p>; }`,
    ].join("\n");
    expect(detect(code)).toEqual({ kind: "channels", channels: ["room:lobby"], line: 3, column: 28 });
  });

  test("a list gives where each of its channels is written", () => {
    const code = `export const live = [\n  "chat",\n  "room:$roomId",\n];`;
    expect(detect(code)).toEqual({
      kind: "channels",
      channels: ["chat", "room:$roomId"],
      line: 1,
      column: 20,
      channelsAt: [
        { line: 2, column: 2 },
        { line: 3, column: 2 },
      ],
    });
  });

  test("in a .ts file that uses angle-bracket casts", () => {
    expect(detect(`export const live = <string>"chat";`, "app/routes/chat.ts")).toMatchObject({ channels: ["chat"] });
  });
});

describe("detectLiveExport reads every form of `live`", () => {
  test.each([
    ["route param placeholders", `export const live = "room:$roomId";`, ["room:$roomId"]],
    ["a list of channels", `export const live = ["room:$roomId", "presence"] as const;`, ["room:$roomId", "presence"]],
    ["a list of constants", `const A = "a";\nconst B = \`b\`;\nexport const live = [A, B];`, ["a", "b"]],
  ])("%s", (_, code, channels) => {
    expect(detect(code)).toMatchObject({ kind: "channels", channels });
  });

  test.each([
    ["an arrow function", `export const live = async ({ params }) => \`room:\${params.roomId}\`;`],
    ["a function expression", `export const live = function () { return "a"; };`],
    ["a function declaration", `export async function live({ request }) { return "a"; }`],
    ["a typed arrow", `import type { LoaderFunctionArgs } from "@remix-run/node";\nexport const live = (args: LoaderFunctionArgs): string => "a";`],
    ["a local function exported by name", `function authorize() { return "a"; }\nexport { authorize as live };`],
    ["a reference to a local function", `function authorize() { return "a"; }\nexport const live = authorize;`],
  ])("a function: %s", (_, code) => {
    expect(detect(code)).toMatchObject({ kind: "function" });
  });
});

describe("detectLiveExport ignores what is not a live export", () => {
  test.each([
    ["a comment", `// export const live = "chat"\nexport default function A() {}`],
    ["a block comment", `/* export const live = "chat" */`],
    ["a string", `const text = 'export const live = "chat"';`],
    ["JSX text", `export default function A() { return <p>export const live = "chat"</p>; }`],
    ["a local that is not exported", `const live = "chat";`],
    ["another export named like it", `export const liveness = "chat";`],
    ["no mention at all", `export default function A() {}`],
  ])("%s", (_, code) => {
    expect(detect(code)).toBeNull();
  });
});

describe("detectLiveExport rejects values it cannot accept, naming file, line and the rule", () => {
  test.each([
    ["a number", `export const live = 42;`, /got the number 42/],
    ["an empty string", `export const live = "";`, /got an empty string/],
    ["an object", `export const live = { channel: "chat" };`, /got an object/],
    ["an empty list", `export const live = [];`, /got an empty list/],
    ["a list with a number", `export const live = ["chat", 7];`, /got the number 7/],
    ["a list with a spread", `const more = ["b"];\nexport const live = ["a", ...more];`, /a hole or a spread/],
    ["a malformed placeholder", `export const live = "room:$";`, /contains "\$"/],
    ["a class", `export class live {}`, /got a class/],
    ["an environment variable", `export const live = process.env.CHANNEL;`, /cannot be read at build time/],
    ["an interpolated template", "const id = 1;\nexport const live = `room:${id}`;", /cannot be read at build time/],
    ["a re-export", `export { live } from "./shared";`, /re-exported from "\.\/shared"/],
    ["an import", `import { live } from "./shared";\nexport { live };`, /is imported/],
    ["an imported constant", `import { CHAT } from "~/channels";\nexport const live = CHAT;`, /`CHAT` is imported.*only constants declared in the route module itself/],
    ["an imported constant in a list", `import { CHAT } from "~/channels";\nexport const live = ["news", CHAT];`, /`CHAT` is imported/],
    ["a declaration without a value", `export let live;`, /has no value/],
    ["spaces", `export const live = "chat room";`, /contains " "/],
    ["a very long name", `export const live = "${"x".repeat(201)}";`, /got 201 characters/],
  ])("%s", (_, code, reason) => {
    let error: unknown;
    try {
      detect(code);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LiveExportError);
    const message = (error as Error).message;
    expect(message).toMatch(/^app\/routes\/chat\.tsx:\d+:\d+: `export const live` must be a channel name, a list of them, or a function/);
    expect(message).toContain("letters, digits and _ - . : / @");
    expect(message).toMatch(reason);
  });

  test("the line and column point at the value", () => {
    const code = `import { json } from "@remix-run/node";\n\nexport const live =\n  42;\n`;
    expect(() => detect(code)).toThrow(/^app\/routes\/chat\.tsx:4:3: /);
  });
});

test("a module that does not parse throws Babel's SyntaxError, not a live error", () => {
  expect(() => detect(`export const live = "chat"; export default function (`)).toThrow(SyntaxError);
});
