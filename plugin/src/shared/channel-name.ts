/**
 * Channel names travel in URLs, log lines, Redis channels and PostgreSQL NOTIFY payloads, so they
 * are kept to a small, printable alphabet and a bounded length.
 */
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_\-.:/@]+$/;
export const MAX_CHANNEL_NAME_LENGTH = 200;

export const CHANNEL_NAME_RULE =
  `a non-empty string of at most ${MAX_CHANNEL_NAME_LENGTH} characters made of ` +
  "letters, digits and _ - . : / @";

/** Returns why `value` is not a channel name, or `null` when it is one. */
export function describeInvalidChannel(value: unknown): string | null {
  if (typeof value !== "string") return `got ${describeValue(value)}`;
  if (value.length === 0) return "got an empty string";
  if (value.length > MAX_CHANNEL_NAME_LENGTH) return `got ${value.length} characters`;
  if (CHANNEL_NAME_PATTERN.test(value)) return null;
  const bad = [...value].find((char) => !CHANNEL_NAME_PATTERN.test(char));
  if (bad !== undefined) return `got ${JSON.stringify(value)}, which contains ${JSON.stringify(bad)}`;
  return null;
}

/** Throws a `TypeError` naming the rule when `value` is not a channel name. */
export function assertChannelName(value: unknown, where: string): asserts value is string {
  const problem = describeInvalidChannel(value);
  if (problem) throw new TypeError(`${where}: a channel name must be ${CHANNEL_NAME_RULE}; ${problem}.`);
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return `the ${typeof value} ${String(value)}`;
}
