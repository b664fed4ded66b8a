import type MagicString from "magic-string";
import type { File, Node, Statement } from "@babel/types";

/**
 * Removes the `live` export from the module the browser gets, with whatever only it used:
 *
 *   import { requireUser } from "~/auth.server";
 *   export const live = async ({ request }) => { await requireUser(request); return "room:1"; };
 *   export default function Room() { ... }
 * becomes
 *   export default function Room() { ... }
 *
 * Remix strips `loader` and `action` from client modules, but does not know `live`; left in
 * place, a live function would ship its authorization code (and its `.server` imports, which
 * Remix refuses to bundle for the browser) to every visitor.
 *
 * After removing the export, top-level functions, pure constants and import bindings that nothing
 * refers to any more are removed too, repeatedly, the way Remix's own export removal does.
 *
 * Only the export goes when the module's own code uses `live` too (`handle = { channel: live }`,
 * a heading that names the channel, a loader that calls the live function): the declaration stays,
 * unexported, like any helper the page uses. (Remix then removes a loader's use, and with it the
 * function, from the browser's copy.)
 *
 * Other names are compared without scope analysis, so a shadowing local keeps a binding alive:
 * that errs on the side of keeping code, never of removing code that is used.
 */
export function stripLiveExport(s: MagicString, ast: File): boolean {
  const body = ast.program.body;
  const removed = new Set<Node>();
  const remove = (node: Node, start = node.start!, end = node.end!) => {
    removed.add(node);
    s.remove(start, end);
  };
  if (!removeNamedExport(s, body, "live", remove)) return false;

  for (let changed = true; changed; ) {
    changed = false;
    const references = countReferences(body, removed);
    const unused = (name: string) => (references.get(name) ?? 0) === 0;
    for (const statement of body) {
      if (removed.has(statement)) continue;
      if (statement.type === "ImportDeclaration") {
        const live = statement.specifiers.filter((specifier) => !removed.has(specifier));
        // `import "./side-effect"` has no bindings and is kept; so is any import still in use.
        if (live.length === 0 || !live.some((specifier) => unused(specifier.local.name))) continue;
        const keep = live.filter((specifier) => !unused(specifier.local.name));
        if (keep.length === 0) remove(statement);
        else for (const specifier of live) if (!keep.includes(specifier)) removeListItem(s, statement.specifiers, specifier, removed);
        changed = true;
      } else if ((statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") && statement.id) {
        if (unused(statement.id.name) && (statement.type === "FunctionDeclaration" || !statement.superClass)) {
          remove(statement);
          changed = true;
        }
      } else if (statement.type === "VariableDeclaration") {
        const unusedPure = statement.declarations.every(
          (declarator) => declarator.id.type === "Identifier" && unused(declarator.id.name) && (!declarator.init || isPure(declarator.init)),
        );
        if (unusedPure) {
          remove(statement);
          changed = true;
        }
      }
    }
  }
  return true;
}

/**
 * Removes `name` from the module's exports, and its declaration unless other code of the module
 * uses it; returns whether there was one.
 */
function removeNamedExport(s: MagicString, body: Statement[], name: string, remove: (node: Node, start?: number, end?: number) => void): boolean {
  for (const statement of body) {
    if (statement.type !== "ExportNamedDeclaration") continue;
    const { declaration } = statement;
    const used = () => body.some((other) => other !== statement && refersTo(other, name));
    // `export function live` / `export const live = ...` -> `function live` / `const live = ...`
    const unexport = () => s.remove(statement.start!, declaration!.start!);
    if (declaration?.type === "FunctionDeclaration" && declaration.id?.name === name) {
      if (used()) unexport();
      else remove(statement);
      return true;
    }
    if (declaration?.type === "VariableDeclaration") {
      const index = declaration.declarations.findIndex((d) => d.id.type === "Identifier" && d.id.name === name);
      if (index === -1) continue;
      const declarator = declaration.declarations[index]!;
      if (declaration.declarations.length === 1) {
        if (used()) unexport();
        else remove(statement);
        return true;
      }
      // `export const live = "a", other = 1;`: drop the declarator and its comma. If used, it is
      // kept apart, unexported, and still counts as code: what it refers to stays too.
      const keep = used() || refersTo(declaration, name, declarator);
      if (keep) s.appendLeft(statement.start!, `${declaration.kind} ${s.original.slice(declarator.start!, declarator.end!)};\n`);
      const drop = keep ? (node: Node, start: number, end: number) => s.remove(start, end) : remove;
      const next = declaration.declarations[index + 1];
      if (next) drop(declarator, declarator.start!, next.start!);
      else drop(declarator, declaration.declarations[index - 1]!.end!, declarator.end!);
      return true;
    }
    const specifier = statement.specifiers.find(
      (candidate) => candidate.type === "ExportSpecifier" && (candidate.exported.type === "Identifier" ? candidate.exported.name : candidate.exported.value) === name,
    );
    if (!specifier) continue;
    if (statement.specifiers.length === 1) remove(statement);
    else {
      const index = statement.specifiers.indexOf(specifier);
      const next = statement.specifiers[index + 1];
      if (next) remove(specifier, specifier.start!, next.start!);
      else remove(specifier, statement.specifiers[index - 1]!.end!, specifier.end!);
    }
    return true;
  }
  return false;
}

function removeListItem(s: MagicString, list: Node[], item: Node, removed: Set<Node>): void {
  const index = list.indexOf(item);
  const next = list.slice(index + 1).find((candidate) => !removed.has(candidate));
  const previous = list.slice(0, index).reverse().find((candidate) => !removed.has(candidate));
  removed.add(item);
  if (next) s.remove(item.start!, next.start!);
  else if (previous) s.remove(previous.end!, item.end!);
  else s.remove(item.start!, item.end!);
}

/**
 * How often each name occurs outside removed code, not counting the places that declare it at the
 * top level (so a declaration alone does not keep itself alive).
 */
function countReferences(body: Statement[], removed: Set<Node>): Map<string, number> {
  const declarations = new Set<Node>();
  for (const statement of body) {
    if (statement.type === "ImportDeclaration") {
      for (const specifier of statement.specifiers) {
        declarations.add(specifier.local);
        // `import { a }` has a separate `imported` node for the name in the other module.
        if (specifier.type === "ImportSpecifier") declarations.add(specifier.imported);
      }
    }
    if ((statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") && statement.id) declarations.add(statement.id);
    if (statement.type === "VariableDeclaration") for (const declarator of statement.declarations) declarations.add(declarator.id);
  }
  const counts = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const candidate = node as Node;
    if (typeof candidate.type !== "string" || removed.has(candidate)) return;
    if (candidate.type === "Identifier" && !declarations.has(candidate)) counts.set(candidate.name, (counts.get(candidate.name) ?? 0) + 1);
    for (const key in candidate) {
      if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments") continue;
      visit((candidate as unknown as Record<string, unknown>)[key]);
    }
  };
  visit(body);
  return counts;
}

/**
 * Whether `node` (`skip` left out) refers to the top-level binding `name`: property names are not
 * references, and a function or block that declares its own `name` hides the top-level one.
 */
function refersTo(node: unknown, name: string, skip?: Node): boolean {
  if (!node || typeof node !== "object" || node === skip) return false;
  if (Array.isArray(node)) return node.some((child) => refersTo(child, name, skip));
  const candidate = node as Node;
  if (typeof candidate.type !== "string") return false;
  if (candidate.type === "Identifier") return candidate.name === name;
  if (declaresOwn(candidate, name)) return false;
  for (const key in candidate) {
    if (key === "loc" || key.endsWith("Comments")) continue;
    const child = (candidate as unknown as Record<string, unknown>)[key];
    // `a.live`, `{ live: 1 }`, `class { live() {} }`: names of properties, not of bindings.
    const propertyName =
      key === (candidate.type === "MemberExpression" || candidate.type === "OptionalMemberExpression" ? "property" : "key") &&
      "computed" in candidate &&
      !candidate.computed &&
      !("shorthand" in candidate && candidate.shorthand);
    if (!propertyName && refersTo(child, name, skip)) return true;
  }
  return false;
}

/** Whether `node` is a function (its parameters and body) or a block that declares a `name` of its own. */
function declaresOwn(node: Node, name: string): boolean {
  const declares = (statements: Node[]) =>
    statements.some(
      (statement) =>
        ((statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") && statement.id?.name === name) ||
        (statement.type === "VariableDeclaration" && statement.declarations.some((declarator) => bindsName(declarator.id, name))),
    );
  switch (node.type) {
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "ObjectMethod":
    case "ClassMethod":
      return node.params.some((param) => bindsName(param, name)) || (node.body.type === "BlockStatement" && declares(node.body.body));
    case "BlockStatement":
      return declares(node.body);
    case "CatchClause":
      return bindsName(node.param, name);
    default:
      return false;
  }
}

/** Whether a parameter or declarator pattern binds `name`. */
function bindsName(pattern: Node | null | undefined, name: string): boolean {
  switch (pattern?.type) {
    case "Identifier":
      return pattern.name === name;
    case "AssignmentPattern":
      return bindsName(pattern.left, name);
    case "RestElement":
      return bindsName(pattern.argument, name);
    case "ArrayPattern":
      return pattern.elements.some((element) => bindsName(element, name));
    case "ObjectPattern":
      return pattern.properties.some((property) => bindsName(property.type === "RestElement" ? property : property.value, name));
    default:
      return false;
  }
}

/** Initialisers whose removal cannot change what the module does. */
function isPure(node: Node): boolean {
  switch (node.type) {
    case "ArrowFunctionExpression":
    case "FunctionExpression":
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
    case "Identifier":
      return true;
    case "TemplateLiteral":
      return node.expressions.every((expression) => isPure(expression));
    case "ArrayExpression":
      return node.elements.every((element) => element !== null && element.type !== "SpreadElement" && isPure(element));
    case "ObjectExpression":
      return node.properties.every((property) => property.type === "ObjectProperty" && !property.computed && isPure(property.value));
    default:
      return false;
  }
}
