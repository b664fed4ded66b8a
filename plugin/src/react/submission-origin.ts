import { ORIGIN_HEADER } from "../shared/emit-origin.js";

/**
 * Marks this tab's submissions (every same-origin request that is not a GET or HEAD: Remix's
 * action requests, `<Form>` and fetchers alike) with a fresh id in a header, by wrapping `fetch`
 * once. An event whose `origin` is one of these ids is this tab's own echo (see
 * shared/emit-origin.ts). Ids are forgotten a minute after they were sent.
 */
const sent = new Map<string, number>();
const FORGET_AFTER_MS = 60_000;
let installed = false;

export function tagSubmissions(): void {
  if (installed || typeof fetch !== "function") return;
  installed = true;
  const original = fetch;
  globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : null;
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    if (method === "GET" || method === "HEAD" || new URL(request?.url ?? String(input), location.href).origin !== location.origin) {
      return original(input, init);
    }
    const now = Date.now();
    for (const [id, at] of sent) if (now - at > FORGET_AFTER_MS) sent.delete(id);
    const id = (Math.random().toString(36) + "00000000").slice(2, 12);
    sent.set(id, now);
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set(ORIGIN_HEADER, id);
    return original(input, { ...init, headers });
  };
}

/** Whether an event's origin is a submission this tab made. */
export function isOwnSubmission(origin: string | undefined): boolean {
  return origin !== undefined && sent.has(origin);
}
