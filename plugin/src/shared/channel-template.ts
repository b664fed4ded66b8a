import { describeInvalidChannel } from "./channel-name.js";

/**
 * A channel template names route params with `$name`: `room:$roomId` on the route
 * `/rooms/:roomId` follows `room:1` at `/rooms/1/stream`. `$` is not part of the channel
 * alphabet, so a template cannot be mistaken for a name.
 */
const PLACEHOLDER = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The params a template refers to, in order, without repeats. */
export function templateParams(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** Why `template` can never produce a valid channel name, or `null` when it can. */
export function describeInvalidTemplate(template: unknown): string | null {
  if (typeof template !== "string") return describeInvalidChannel(template);
  const problem = describeInvalidChannel(template.replace(PLACEHOLDER, "x"));
  return problem && problem.replace(JSON.stringify(template.replace(PLACEHOLDER, "x")), JSON.stringify(template));
}

/** Fills a template's placeholders from `params`; `null` when a param it needs is missing. */
export function fillChannelTemplate(template: string, params: Readonly<Record<string, string | undefined>>): string | null {
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = params[name];
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? null : filled;
}
