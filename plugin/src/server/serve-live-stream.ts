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
  /**
   * In a React Router app, the `middleware` of the routes above the live route (root left out) and
   * of the live route: run before the live function when React Router's own middleware ran (its
   * context is a `contextProvider`), as it would for a request to the live route.
   */
  middleware?: () => RouteMiddleware[];
  contextProvider?: new () => object;
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
  const { route, middleware, contextProvider, ...streamOptions } = options;
  const resolved = await resolveRouteChannels(source, args, options);
  if ("refusal" in resolved) return resolved.refusal;
  return createEventStream(args.request, resolved.channels, streamOptions);
}

/** A route's channels inside React Router's request pipeline, behind the middleware under the root (see `ServeLiveStreamOptions`). */
export function resolveRouteChannels(source: LiveSource, args: LiveArgs, { route, middleware, contextProvider }: ServeLiveStreamOptions): Promise<ResolvedChannels> {
  const resolve = () => resolveChannels(source, args.params, () => args, route);
  const chain = middleware && contextProvider && args.context instanceof contextProvider ? middleware() : [];
  return chain.length ? resolveBehindMiddleware(chain, args, resolve, route ?? "a live route") : resolve();
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
  report: ReportError = logError,
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
    report(`[remix-live] the live function of ${route} threw; the subscription was refused with a 500:`, error);
    return { refusal: serverError() };
  }
  const list = typeof result === "string" ? [result] : result;
  const problem = !Array.isArray(list)
    ? `got ${describeValue(result)}`
    : list.length === 0
      ? "got an empty list"
      : list.map((channel: unknown) => describeInvalidChannel(channel)).find(Boolean);
  if (problem) {
    report(
      `[remix-live] the live function of ${route} must return a channel name or a list of them; ${problem}. ` +
        "The subscription was refused with a 500.",
    );
    return { refusal: serverError() };
  }
  return { channels: [...new Set(list as string[])] };
}

/** Says on the server why a subscription was refused with a 500 (and with what error). */
export type ReportError = (message: string, error?: unknown) => void;

const logError: ReportError = (message, ...error) => console.error(message, ...error);

export function serverError(): Response {
  return new Response("Internal Server Error", { status: 500, headers: { "Content-Type": "text/plain" } });
}

/** A function of a React Router route module's `middleware` export, as its server runs it. */
export type RouteMiddleware = (args: LiveArgs, next: () => Promise<Response>) => unknown;

/**
 * Resolves a live route's channels behind the middleware of its route and every route above it
 * (root first), as React Router runs them for a request to that route (with `future.v8_middleware`,
 * and always from React Router 8): each gets the request, params and context and may call
 * `next()`; one that does not is followed by the next anyway; a `Response` one returns or throws
 * (a redirect to the login page, a 401) answers the request instead. Here that response refuses
 * the subscription; any other error is logged and refuses it with a 500 that reveals nothing.
 * `next()` answers with an empty 204 once the channels are resolved, or with the live function's
 * refusal.
 */
export async function resolveBehindMiddleware(
  middleware: readonly RouteMiddleware[],
  args: LiveArgs,
  resolve: () => Promise<ResolvedChannels>,
  route: string,
  report: ReportError = logError,
): Promise<ResolvedChannels> {
  let resolved: ResolvedChannels | undefined;
  const admitted = new Response(null, { status: 204 });
  const call = async (index: number): Promise<Response> => {
    const current = middleware[index];
    if (!current) {
      resolved = await resolve();
      return "refusal" in resolved ? resolved.refusal : admitted;
    }
    let inner: Promise<Response> | undefined;
    const next = () => (inner ??= call(index + 1));
    const value = await current(args, next);
    return value instanceof Response ? value : next();
  };
  try {
    const response = await call(0);
    return response === admitted && resolved ? resolved : { refusal: response };
  } catch (error) {
    if (error instanceof Response) return { refusal: error };
    report(`[remix-live] the middleware above ${route} threw; the subscription was refused with a 500:`, error);
    return { refusal: serverError() };
  }
}
