import { setLiveTargets } from "./live-targets.js";

/**
 * Coalesces invalidations into as few loader revalidations as possible, without delaying the
 * first one by more than a moment.
 *
 * - The first event after a quiet spell starts a revalidation `coalesceMs` later, so events that
 *   arrive together (several live routes of a page hearing one change, on separate streams that the
 *   browser delivers as separate tasks) cause one revalidation.
 * - An event that arrives while a revalidation runs never restarts it (that would cancel the
 *   loaders in flight, over and over, under a steady stream of events). It causes one more
 *   revalidation once the current one has ended and events have stopped for `coalesceMs`, so a
 *   burst costs two revalidations: one soon after it starts, one after it ends. Under a steady
 *   stream that never pauses, the next one still starts at most `MAX_WAIT_MS` after the last ended.
 * - Nothing runs while the browser is offline (the loaders' requests would fail and show the error
 *   boundary); what is pending runs once it is back online.
 */
export interface Revalidator {
  revalidate(): void;
  state: "idle" | "loading";
}

/** Default window: long enough to gather what one change sends to several routes, short enough not to be seen. */
export const DEFAULT_COALESCE_MS = 50;
const MAX_WAIT_MS = 1_000;

let coalesceMs = DEFAULT_COALESCE_MS;
let revalidator: Revalidator | null = null;
let pending = false;
let submitting = false;
/** The routes that heard events since the last revalidation started; `null` once any event was for every route. */
let queuedTargets: Set<string> | null = new Set();
let inFlight = false;
let sawLoading = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastEventAt = 0;
/** When the last revalidation ended: a trailing one waits for quiet, but not forever. */
let endedAt = 0;

export function setCoalesceWindow(ms: number): void {
  coalesceMs = Math.max(0, ms);
}

/**
 * A navigation or a submission started: it loads fresh data for wherever the user is going, so a
 * waiting live revalidation is dropped rather than run for (and pulling the user back to) the page
 * they left.
 */
export function dropPendingRevalidation(): void {
  pending = false;
  queuedTargets = new Set();
  setLiveTargets(null);
  clearTimeout(timer);
  timer = undefined;
}

/**
 * Whether this tab has a submission (a `<Form>` or a fetcher) waiting for its action. Remix
 * revalidates every loader once the action returns, after whatever was emitted meanwhile: the
 * echo of this tab's own change, and any other writer's. Events heard until then need no run of
 * their own.
 */
export function setSubmitting(value: boolean): void {
  submitting = value;
}

/** An event for route `routeId`, or for every route of the page (`undefined`). */
export function requestRevalidation(routeId?: string): void {
  if (submitting) return;
  if (routeId === undefined) queuedTargets = null;
  else queuedTargets?.add(routeId);
  pending = true;
  lastEventAt = Date.now();
  if (inFlight || timer !== undefined) return;
  schedule(coalesceMs);
}

/** Called by the live hooks whenever Remix's revalidator changes state. */
export function trackRevalidator(current: Revalidator): void {
  revalidator = current;
  if (current.state === "loading") sawLoading = true;
  else if (inFlight && sawLoading) {
    inFlight = false;
    sawLoading = false;
    setLiveTargets(null);
    endedAt = Date.now();
    if (pending) schedule(coalesceMs);
  } else if (pending && !inFlight && timer === undefined) {
    // Events that arrived before Remix's revalidator was known.
    schedule(coalesceMs);
  }
}

function schedule(ms: number): void {
  timer = setTimeout(fire, ms);
}

function fire(): void {
  timer = undefined;
  if (!pending || inFlight || !revalidator) return;
  if (typeof navigator !== "undefined" && navigator.onLine === false) {
    addEventListener("online", () => schedule(0), { once: true });
    return;
  }
  const now = Date.now();
  const quietFor = now - lastEventAt;
  // Right after a revalidation, wait for the burst to end; long after one, go at once.
  if (quietFor < coalesceMs && now - endedAt < MAX_WAIT_MS) {
    schedule(Math.min(coalesceMs - quietFor, MAX_WAIT_MS - (now - endedAt)));
    return;
  }
  pending = false;
  inFlight = true;
  sawLoading = false;
  setLiveTargets(queuedTargets);
  queuedTargets = new Set();
  revalidator.revalidate();
}
