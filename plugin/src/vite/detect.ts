import type { Expression, File, Node, Statement } from "@babel/types";
import { CHANNEL_NAME_RULE } from "../shared/channel-name.js";
import { describeInvalidTemplate } from "../shared/channel-template.js";
import { parseModule } from "./parse-module.js";

/**
 * What a route module's `live` export asks for: channel names (templates, which may name route
 * params as `$name`) read at build time, or a function the stream route calls for each subscriber.
 */
export type LiveExport =
  | { kind: "channels"; channels: string[]; line: number; column: number; channelsAt?: Position[] }
  | { kind: "function"; line: number; column: number };

/** Where something is written: a 1-based line and a 0-based column, as Babel gives them. */
export interface Position {
  line: number;
  column: number;
}

/** A string that changes whenever the stream route generated for `live` would. */
export function liveSignature(live: LiveExport | null): string {
  return live === null ? "" : live.kind === "function" ? "function" : JSON.stringify(live.channels);
}

/** A `live` export that remix-live cannot accept; the message names file, line and the rule. */
export class LiveExportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(
      `${file}:${line}:${column + 1}: \`export const live\` must be a channel name, a list of them, or a function ` +
        `that returns them (e.g. export const live = "room:$roomId"). A channel name is ${CHANNEL_NAME_RULE}, ` +
        `and may name route params as $param; ${reason}.`,
    );
    this.name = "LiveExportError";
  }
}

/**
 * Finds the `live` export of a route module and reads its value without running the module.
 * Returns `null` when the module does not export `live` (a mention in a comment or a string
 * does not count). Throws `LiveExportError` for a value it cannot accept, and Babel's
 * `SyntaxError` when the module does not parse.
 */
export function detectLiveExport(code: string, file: string): LiveExport | null {
  if (!code.includes("live")) return null;
  return readLiveExport(parseModule(code, file), file);
}

function readLiveExport(ast: File, file: string): LiveExport | null {
  const found = findLiveValue(ast.program.body);
  if (!found) return null;
  const fail = (node: Node, reason: string): never => {
    const { line, column } = positionOf(node);
    throw new LiveExportError(file, line, column, reason);
  };
  if (found.kind === "unreadable") return fail(found.node, found.reason);
  // Where the value is written (0-based column), for errors found later against the route's URL.
  const at = positionOf(found.node);
  if (found.kind === "function") return { kind: "function", ...at };
  const body = ast.program.body;
  const value = unwrap(found.node, body);
  if (isFunction(value)) return { kind: "function", ...at };
  if (value.type === "ArrayExpression") {
    if (value.elements.length === 0) return fail(value, "got an empty list");
    const channels = value.elements.map((element) => {
      if (!element || element.type === "SpreadElement") return fail(element ?? value, "got a list with a hole or a spread");
      return readChannel(element, body, fail);
    });
    // And where each channel of a list is, for the error about one of them.
    return { kind: "channels", channels, ...at, channelsAt: value.elements.map((element) => positionOf(element!)) };
  }
  return { kind: "channels", channels: [readChannel(value, body, fail)], ...at };
}

function positionOf(node: Node): Position {
  return { line: node.loc?.start.line ?? 0, column: node.loc?.start.column ?? 0 };
}

function readChannel(node: Node, body: Statement[], fail: (node: Node, reason: string) => never): string {
  const value = evaluateString(node, body, new Set());
  if (value === undefined) {
    const unreadable = unwrap(node, body);
    // A name this module imports says so, and what to do instead.
    const binding = unreadable.type === "Identifier" ? findTopLevelBinding(body, unreadable.name) : null;
    return fail(node, binding?.kind === "unreadable" ? binding.reason : `got ${describeUnreadable(unreadable)}`);
  }
  const problem = describeInvalidTemplate(value);
  if (problem) return fail(node, problem);
  return value as string;
}

/** Looks through type wrappers and references to top-level constants to the expression itself. */
function unwrap(node: Node, body: Statement[], seen = new Set<string>()): Node {
  switch (node.type) {
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
    case "ParenthesizedExpression":
      return unwrap(node.expression, body, seen);
    case "Identifier": {
      if (seen.has(node.name)) return node;
      seen.add(node.name);
      const binding = findTopLevelBinding(body, node.name);
      return binding?.kind === "value" ? unwrap(binding.node, body, seen) : binding?.kind === "function" ? binding.node : node;
    }
    default:
      return node;
  }
}

function isFunction(node: Node): boolean {
  return node.type === "ArrowFunctionExpression" || node.type === "FunctionExpression" || node.type === "FunctionDeclaration";
}

type Found =
  | { kind: "value"; node: Expression }
  | { kind: "function"; node: Node }
  | { kind: "unreadable"; node: Node; reason: string };

function findLiveValue(body: Statement[]): Found | null {
  for (const statement of body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const { declaration } = statement;
    if (declaration) {
      if (declaration.type === "VariableDeclaration") {
        for (const declarator of declaration.declarations) {
          if (declarator.id.type !== "Identifier" || declarator.id.name !== "live") continue;
          if (!declarator.init) return { kind: "unreadable", node: declarator, reason: "it has no value" };
          return { kind: "value", node: declarator.init };
        }
      } else if ("id" in declaration && declaration.id?.type === "Identifier" && declaration.id.name === "live") {
        if (declaration.type === "FunctionDeclaration") return { kind: "function", node: declaration };
        return { kind: "unreadable", node: declaration, reason: `got a ${declarationKind(declaration.type)}` };
      }
      continue;
    }
    for (const specifier of statement.specifiers) {
      if (specifier.type !== "ExportSpecifier" || exportedName(specifier.exported) !== "live") continue;
      if (statement.source) {
        return { kind: "unreadable", node: specifier, reason: `it is re-exported from "${statement.source.value}", which cannot be read at build time` };
      }
      const binding = findTopLevelBinding(body, specifier.local.name);
      if (binding) return binding;
      return { kind: "unreadable", node: specifier, reason: `\`${specifier.local.name}\` is not a top-level constant of this module` };
    }
  }
  return null;
}

function findTopLevelBinding(body: Statement[], name: string): Found | null {
  for (const statement of body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (!declaration) continue;
    if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === "Identifier" && declarator.id.name === name) {
          return declarator.init ? { kind: "value", node: declarator.init } : { kind: "unreadable", node: declarator, reason: "it has no value" };
        }
      }
    } else if ("id" in declaration && declaration.id?.type === "Identifier" && declaration.id.name === name) {
      if (declaration.type === "FunctionDeclaration") return { kind: "function", node: declaration };
      return { kind: "unreadable", node: declaration, reason: `got a ${declarationKind(declaration.type)}` };
    } else if (declaration.type === "ImportDeclaration" && declaration.specifiers.some((s) => s.local.name === name)) {
      return {
        kind: "unreadable",
        node: declaration,
        reason:
          `\`${name}\` is imported, which cannot be read at build time: remix-live reads \`live\` without running the module, ` +
          `so only constants declared in the route module itself can be used (declare it there, or export a function that returns it)`,
      };
    }
  }
  return null;
}

/** Reads string literals, plain template literals, type wrappers and references to top-level constants. */
function evaluateString(node: Node, body: Statement[], seen: Set<string>): unknown {
  switch (node.type) {
    case "StringLiteral":
      return node.value;
    case "NumericLiteral":
    case "BooleanLiteral":
      return node.value;
    case "NullLiteral":
      return null;
    case "TemplateLiteral":
      return node.expressions.length === 0 ? node.quasis[0]?.value.cooked : undefined;
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
    case "ParenthesizedExpression":
      return evaluateString(node.expression, body, seen);
    case "Identifier": {
      if (node.name === "undefined") return undefined;
      if (seen.has(node.name)) return undefined;
      seen.add(node.name);
      const binding = findTopLevelBinding(body, node.name);
      return binding?.kind === "value" ? evaluateString(binding.node, body, seen) : undefined;
    }
    default:
      return undefined;
  }
}

function describeUnreadable(node: Node): string {
  switch (node.type) {
    case "ObjectExpression":
      return "an object";
    case "ArrayExpression":
      return "an array";
    case "TemplateLiteral":
      return "a template literal with ${...} parts, which cannot be read at build time";
    case "Identifier":
      return `\`${node.name}\`, which cannot be read at build time`;
    default:
      return "an expression that cannot be read at build time";
  }
}

function declarationKind(type: string): string {
  return type === "ClassDeclaration" ? "class" : type.includes("Function") ? "function" : "declaration";
}

function exportedName(node: { type: string; name?: string; value?: string }): string | undefined {
  return node.type === "Identifier" ? node.name : node.value;
}
