import { ORIGIN_HEADER } from "../shared/emit-origin.js";

/**
 * Marks this tab's submissions (every same-origin request that is not a GET or HEAD: Remix's
 * action requests, `<Form>` and fetchers alike) with a fresh id in a header, by wrapping `fetch`
 * once. An event whose `origin` is one of these ids is this tab's own echo (see
 * shared/emit-origin.ts). Each id learns whether Remix revalidated after its submission (the
 * revalidation queue settles them when a submission ends); a request Remix did not make (a plain
 * `fetch`) never settles, and its echo counts like any event. Ids are forgotten a minute after
 * they were sent.
 */
type Settled = "pending" | "revalidated" | "not-revalidated";
const sent = new Map<string, { at: number; settled: Settled }>();
const FORGET_AFTER_MS = 60_000;
let installed = false;

export function tagSubmissions(): void {
  if (installed || typeof fetch !== "function") return;
  installed = true;
  const original = fetch;
  globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : null;
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    if (method === "GET" || method === "HEAD" || !isSameOrigin(request?.url ?? String(input))) return original(input, init);
    const now = Date.now();
    for (const [id, { at }] of sent) if (now - at > FORGET_AFTER_MS) sent.delete(id);
    const id = (Math.random().toString(36) + "00000000").slice(2, 12);
    sent.set(id, { at: now, settled: "pending" });
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set(ORIGIN_HEADER, id);
    return original(input, { ...init, headers });
  };
}

function isSameOrigin(url: string): boolean {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false; // fetch() itself reports the bad URL
  }
}

/** A submission of this tab's ended: Remix revalidated after it (`true`) or not. */
export function settleSubmissions(revalidated: boolean): void {
  for (const entry of sent.values()) if (entry.settled === "pending") entry.settled = revalidated ? "revalidated" : "not-revalidated";
}

/** Whether an event's origin is a submission of this tab that Remix revalidated after: its echo needs no run. */
export function isCoveredEcho(origin: string | undefined): boolean {
  return origin !== undefined && sent.get(origin)?.settled === "revalidated";
}
