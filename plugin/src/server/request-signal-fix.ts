/**
 * Keeps `request.signal` working for long-lived responses on Node.
 *
 * Node's fetch (undici) makes a Request built from another Request follow the other's signal
 * through a WeakRef to an AbortController that only the other Request holds. Remix 2 builds
 * several such Requests for each incoming request (the adapter's, then copies without `?index`
 * and `_routes`) and keeps only the last one, which the loader gets. After the next garbage
 * collection the chain is broken: the adapter aborts its signal when the client disconnects, but
 * the loader's `request.signal` never hears of it, so an event stream would stay subscribed
 * forever. (nodejs/undici#3644; React Router 7 fixed its own copies in 2026.)
 *
 * The fix pins each Request to its own signal, so a Request lives exactly as long as the signals
 * that follow it: the chain then survives while the loader holds the last Request.
 */
const PINNED = Symbol.for("remix-live.request-pinned-to-signal");
const INSTALLED = Symbol.for("remix-live.request-signal-fix");
type RequestClass = typeof Request & { [PINNED]?: true };

/**
 * Installs the fix on `globalThis.Request`, and on any Request class assigned to it later:
 * `remix-serve` imports the server build first and only then installs its fetch globals
 * (`installGlobals()`), which would otherwise replace the fixed class.
 */
export function keepRequestSignalsLinked(): void {
  const holder = globalThis as { [INSTALLED]?: true; Request?: RequestClass };
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "Request");
  if (!isNode() || !descriptor || holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  // Node defines fetch's globals as lazy getters: read the value, not the descriptor.
  let current = pin(holder.Request);
  Object.defineProperty(globalThis, "Request", {
    configurable: true,
    enumerable: descriptor.enumerable ?? false,
    get: () => current,
    set(value: RequestClass) {
      current = pin(value);
    },
  });
}

function pin(Native: RequestClass | undefined): RequestClass | undefined {
  if (typeof Native !== "function" || Native[PINNED]) return Native;
  class Request extends Native {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init);
      // Node's fetch gives each Request a signal of its own. @remix-run/web-fetch (remix-serve's
      // globals when single fetch is off) keeps the signal it is given, so Remix's copies share
      // one: that signal is pinned to the first of them and needs nothing more, as no WeakRef
      // stands between them.
      if (!Object.hasOwn(this.signal, PINNED)) Object.defineProperty(this.signal, PINNED, { value: this });
    }
  }
  Object.defineProperty(Request, PINNED, { value: true });
  return Request as RequestClass;
}

function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}
