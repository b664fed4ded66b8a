import { ORIGIN_HEADER } from "../shared/emit-origin.js";
import { isRemixData, noteDataRequest } from "./load-times.js";

/**
 * Marks this tab's submissions (Remix's action requests, `<Form>` and fetchers alike: same-origin
 * data requests that are not a GET or HEAD) with a fresh id in a header, by wrapping `fetch` once.
 * An event whose `origin` is one of these ids is this tab's own echo (see shared/emit-origin.ts).
 * Each id learns whether Remix revalidated after its submission (the revalidation queue settles
 * them when a submission ends). A request Remix did not make (a plain `fetch` POST) carries no id,
 * so its echo counts like any event. Ids are forgotten a minute after they were sent. Remix's
 * loader requests (GET) are noted too: see load-times.ts.
 */
/** Each id sent: when, and whether Remix revalidated after its submission (unknown until it ends). */
const sent = new Map<string, [at: number, revalidated?: boolean]>();
const FORGET_AFTER_MS = 60_000;
let installed = false;

export function tagSubmissions(): void {
  if (installed) return;
  installed = true;
  const original = fetch;
  globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : undefined;
    try {
      const method = init?.method ?? request?.method ?? "GET";
      const url = new URL(request?.url ?? String(input), location.href);
      // Remix's own data requests only: loads, and submissions.
      if (isRemixData(url)) {
        if (/^(get|head)$/i.test(method)) noteDataRequest(url);
        else {
          const now = Date.now();
          for (const [id, [at]] of sent) if (now - at > FORGET_AFTER_MS) sent.delete(id);
          const id = Math.random().toString(36).slice(2, 12).padEnd(10, "0");
          sent.set(id, [now]);
          const headers = new Headers(init?.headers ?? request?.headers);
          headers.set(ORIGIN_HEADER, id);
          init = { ...init, headers };
        }
      }
    } catch {
      // A URL that does not parse: fetch() itself reports it.
    }
    return original(input, init);
  };
}

/** A submission of this tab's ended: Remix revalidated after it (`true`) or not. */
export function settleSubmissions(revalidated: boolean): void {
  for (const entry of sent.values()) entry[1] ??= revalidated;
}

/** Whether an event's origin is a submission of this tab that Remix revalidated after: its echo needs no run. */
export function isCoveredEcho(origin: string | undefined): boolean {
  return sent.get(origin!)?.[1] === true;
}
