import { ORIGIN_HEADER } from "../shared/emit-origin.js";
import { dataLoadedAt, isFetcherLoad, isRemixData, noteDataRequest } from "./load-times.js";

/**
 * Marks this tab's submissions (Remix's action requests, `<Form>` and fetchers alike: same-origin
 * data requests that are not a GET or HEAD) with a fresh id in a header, by wrapping `fetch` once.
 * An event whose `origin` is one of these ids is this tab's own echo (see shared/emit-origin.ts):
 * the action emitted it before its response came, so a route whose data was asked for after that
 * response already shows it. This is read from the requests themselves, not from the router's
 * states as React renders them: React may skip a state (a `loading` that an `idle` overtook), and
 * a remix-live built on them took an echo for uncovered now and then. A request Remix did not make
 * (a plain `fetch` POST) carries no id, so its echo counts like any event. Ids are forgotten a
 * minute after they were sent. Remix's loader requests (GET) are noted too: see load-times.ts.
 */
/** Each id sent: when, and when its response came. */
const sent = new Map<string, [at: number, answeredAt?: number]>();
const FORGET_AFTER_MS = 60_000;
let installed = false;

export function tagSubmissions(): void {
  if (installed) return;
  installed = true;
  const original = fetch;
  globalThis.fetch = (input, init) => {
    const request = input instanceof Request ? input : undefined;
    let submission: [at: number, answeredAt?: number] | undefined;
    let load: (() => void) | undefined;
    try {
      const method = init?.method ?? request?.method ?? "GET";
      const url = new URL(request?.url ?? String(input), location.href);
      // Remix's own data requests only: loads, and submissions.
      if (isRemixData(url)) {
        if (/^(get|head)$/i.test(method)) load = isFetcherLoad() ? undefined : noteDataRequest(url);
        else {
          const now = Date.now();
          for (const [id, [at]] of sent) if (now - at > FORGET_AFTER_MS) sent.delete(id);
          const id = Math.random().toString(36).slice(2, 12).padEnd(10, "0");
          sent.set(id, (submission = [now]));
          const headers = new Headers(init?.headers ?? request?.headers);
          headers.set(ORIGIN_HEADER, id);
          init = { ...init, headers };
        }
      }
    } catch {
      // A URL that does not parse: fetch() itself reports it.
    }
    const response = original(input, init);
    // A cancelled or failed submission is never answered: the action may still be running. A
    // load that failed (a navigation cancelled by another) brought no data.
    if (submission) void response.then(() => (submission![1] = Date.now()), () => {});
    if (load) void response.catch(load);
    return response;
  };
}

/** Whether an event's origin is a submission of this tab's whose answer came before `routeId`'s data was asked for. */
export function isCoveredEcho(origin: string | undefined, routeId: string): boolean {
  return dataLoadedAt(routeId) >= (sent.get(origin!)?.[1] ?? Infinity);
}
