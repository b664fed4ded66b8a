import { describeInvalidChannel, describeValue } from "../shared/channel-name.js";
import { fillChannelTemplate } from "../shared/channel-template.js";
import { createEventStream, type EventStreamOptions } from "./event-stream.js";

/** What Remix passes to a loader; the parts a `live` function may use. */
export interface LiveArgs {
  request: Request;
  params: Readonly<Record<string, string | undefined>>;
  context: unknown;
}

/** A route's `live` export: channel templates, or a function that decides per subscriber. */
export type LiveSource =
  | string
  | readonly string[]
  | ((args: never) => string | readonly string[] | Promise<string | readonly string[]>);

export interface ServeLiveStreamOptions extends EventStreamOptions {
  /** The live route's file, named in server logs. */
  route?: string;
}

/**
 * The loader of a generated stream route: works out which channels this subscriber follows, then
 * answers with their event stream.
 *
 * - Templates are filled from the request's route params (`room:$roomId` -> `room:1`). A param
 *   that makes no valid channel name (too long, odd characters) is the client's mistake: 400.
 * - A function runs with the loader's arguments. A `Response` it throws (401, 403, a redirect)
 *   refuses the subscription with that response. Any other error, or a return value that is not
 *   a channel name or a list of them, is logged and answered with a bare 500 that reveals nothing.
 *
 * The channels come only from the route and its params: no query parameter or header can add one.
 */
export async function serveLiveStream(args: LiveArgs, source: LiveSource, options: ServeLiveStreamOptions = {}): Promise<Response> {
  const { route, ...streamOptions } = options;
  const resolved = await resolveChannels(source, args.params, () => args, route);
  if ("refusal" in resolved) return resolved.refusal;
  return createEventStream(args.request, resolved.channels, streamOptions);
}

export type ResolvedChannels = { channels: string[] } | { refusal: Response };

/**
 * The channels a subscriber follows, or the response that refuses the subscription (see
 * `serveLiveStream`). `makeArgs` is only called for a live function, so a server that serves
 * streams itself need not build a `Request` for fixed channel names.
 */
export async function resolveChannels(
  source: LiveSource,
  params: LiveArgs["params"],
  makeArgs: () => LiveArgs | Promise<LiveArgs>,
  route = "a live route",
): Promise<ResolvedChannels> {
  if (typeof source !== "function") {
    const filled = (typeof source === "string" ? [source] : source).map((template) => fillChannelTemplate(template, params));
    if (filled.some((channel) => channel === null || describeInvalidChannel(channel) !== null)) {
      return { refusal: new Response("Bad Request: the URL does not name a valid channel.", { status: 400, headers: { "Content-Type": "text/plain" } }) };
    }
    return { channels: [...new Set(filled as string[])] };
  }
  let result: unknown;
  try {
    result = await (source as (args: LiveArgs) => unknown)(await makeArgs());
  } catch (error) {
    if (error instanceof Response) return { refusal: error };
    console.error(`[remix-live] the live function of ${route} threw; the subscription was refused with a 500:`, error);
    return { refusal: serverError() };
  }
  const list = typeof result === "string" ? [result] : result;
  const problem = !Array.isArray(list)
    ? `got ${describeValue(result)}`
    : list.length === 0
      ? "got an empty list"
      : list.map((channel: unknown) => describeInvalidChannel(channel)).find(Boolean);
  if (problem) {
    console.error(
      `[remix-live] the live function of ${route} must return a channel name or a list of them; ${problem}. ` +
        "The subscription was refused with a 500.",
    );
    return { refusal: serverError() };
  }
  return { channels: [...new Set(list as string[])] };
}

function serverError(): Response {
  return new Response("Internal Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
}
