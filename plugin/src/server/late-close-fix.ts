import type { ServerResponse } from "node:http";

/**
 * Makes a `close` listener added to a Node `ServerResponse` that has already closed run (on the
 * next tick) instead of never.
 *
 * Remix's Express adapter (behind `remix-serve` and Remix's Express template) aborts a request's
 * signal when its response closes, but it starts listening only once the request reaches Remix:
 * after `express.static` has looked for a file of that name, which takes a turn of the event loop.
 * A client that leaves in between (a tab closed as a page loads, a window closed with its tabs)
 * leaves a request whose signal never aborts, and an event stream that follows that signal stayed
 * subscribed until the server stopped: 43 of 200 stream requests whose client left within 10 ms,
 * measured behind remix-serve. With the fix, the adapter's late listener aborts the signal at once.
 *
 * Node only, from Node 20.16 (`process.getBuiltinModule`); elsewhere it does nothing.
 */
const INSTALLED = Symbol.for("remix-live.late-close-fix");
type Listener = (...args: unknown[]) => void;
type Subscribe = (this: ServerResponse, event: string | symbol, listener: Listener) => ServerResponse;

export function runLateCloseListeners(): void {
  const getBuiltinModule = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)?.getBuiltinModule;
  const http = getBuiltinModule?.("node:http") as typeof import("node:http") | undefined;
  const prototype = http?.ServerResponse.prototype as (ServerResponse & { [INSTALLED]?: true }) | undefined;
  if (!prototype || prototype[INSTALLED]) return;
  Object.defineProperty(prototype, INSTALLED, { value: true });
  for (const method of ["on", "once", "addListener"] as const) {
    const subscribe = prototype[method] as Subscribe;
    Object.defineProperty(prototype, method, {
      configurable: true,
      writable: true,
      value: function (this: ServerResponse, event: string | symbol, listener: Listener) {
        if (event !== "close" || !this.closed) return subscribe.call(this, event, listener);
        process.nextTick(() => listener.call(this));
        return this;
      },
    });
  }
}
