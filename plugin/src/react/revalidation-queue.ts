import { setLiveTargets } from "./live-targets.js";
import { dataLoadedAt, EVERY_ROUTE } from "./load-times.js";

/**
 * Coalesces invalidations into as few loader revalidations as possible, without delaying the
 * first one by more than a moment.
 *
 * - The first event after a quiet spell starts a revalidation `coalesceMs` later, so events that
 *   arrive together (several live routes of a page hearing one change, on separate streams that the
 *   browser delivers as separate tasks) cause one revalidation.
 * - An event that arrives while a revalidation runs never restarts it (that would cancel the
 *   loaders in flight, over and over, under a steady stream of events). It causes one more
 *   revalidation once the current one has ended and events have stopped for three windows, and
 *   at least 300 ms: a burst's own hiccups are shorter than that (a busy server, and tabs whose
 *   main thread is rendering the first run's data read their events late, in clumps, measured at
 *   up to 200 ms apart in the e2e burst), so a burst costs two revalidations: one soon after it
 *   starts, one after it ends. Under a steady
 *   stream that never pauses, the next one still starts at most `MAX_WAIT_MS` after the last ended.
 * - A route whose data Remix asked for after its last event arrived (a navigation, a submission's
 *   revalidation, a revalidation the app started) already shows what the event announced: the
 *   event left the server before the request did. It does not re-run.
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
/** How long events must have paused, in windows and at least, before the run after a burst. */
const TRAILING_QUIET_WINDOWS = 3;
const MIN_TRAILING_QUIET_MS = 300;

let coalesceMs = DEFAULT_COALESCE_MS;
let revalidator: Revalidator | null = null;
/** The routes that heard events since the last revalidation started (`EVERY_ROUTE`: all), and when they last did. */
const queued = new Map<string, number>();
let inFlight = false;
let sawLoading = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastEventAt = 0;
/** When the last revalidation ended: a trailing one waits for quiet, but not forever. */
let endedAt = 0;

export function setCoalesceWindow(ms: number): void {
  coalesceMs = Math.max(0, ms);
}

/** Whether Remix is navigating or submitting in this tab (from `useNavigation()` and `useFetchers()`). */
let busy = false;

/**
 * Follows Remix's navigations and submissions (a `<Form>`, a fetcher): while one runs, events wait,
 * and once it is done they run for the routes that heard them, are still on the page, and whose
 * data was not asked for since (a submission's revalidation covers what was emitted while its
 * action ran, the echo of this tab's own change included; a navigation covers the routes it
 * loaded, not a layout above them). When Remix does not revalidate after an action (an action
 * error under `v3_skipActionErrorRevalidation`, a cancelled fetcher), they run then. Nothing runs
 * for the page the user left. Which of its states Remix is in does not matter (React may skip
 * rendering one): what it asked the server for does.
 */
export function setBusy(next: boolean): void {
  busy = next;
  if (!busy && queued.size && !inFlight && timer === undefined) schedule(coalesceMs);
}

/**
 * An event for route `routeId` (its echo already left out: see submission-origin.ts), or for every
 * route and fetcher of the page (a hand-written stream's).
 */
export function requestRevalidation(routeId = EVERY_ROUTE): void {
  lastEventAt = Date.now();
  queued.set(routeId, lastEventAt);
  if (inFlight || timer !== undefined) return;
  schedule(coalesceMs);
}

/** Called by the live hooks whenever Remix's revalidator changes state. */
export function trackRevalidator(current: Revalidator): void {
  revalidator = current;
  if (current.state === "loading") sawLoading = true;
  else if (inFlight && sawLoading) finishRevalidation();
  else if (queued.size && !inFlight && timer === undefined) {
    // Events that arrived before Remix's revalidator was known.
    schedule(coalesceMs);
  }
}

function schedule(ms: number): void {
  timer = setTimeout(fire, ms);
}

/** A revalidation that Remix never showed as loading (nothing to load, or batched away) is over after this. */
const UNSEEN_REVALIDATION_MS = 2_000;
let waitingForOnline = false;

function fire(): void {
  timer = undefined;
  // Remix's own navigation or submission comes first; setBusy() resumes once it is done.
  if (inFlight || !revalidator || busy) return;
  for (const [routeId, heardAt] of queued) if (dataLoadedAt(routeId) > heardAt) queued.delete(routeId);
  if (!queued.size) return;
  if (typeof navigator !== "undefined" && navigator.onLine === false) {
    if (!waitingForOnline) {
      waitingForOnline = true;
      addEventListener("online", () => ((waitingForOnline = false), schedule(0)), { once: true });
    }
    return;
  }
  const now = Date.now();
  const quietFor = now - lastEventAt;
  const quiet = Math.max(TRAILING_QUIET_WINDOWS * coalesceMs, MIN_TRAILING_QUIET_MS);
  // Right after a revalidation, wait for the burst to end; long after one, go at once.
  if (quietFor < quiet && now - endedAt < MAX_WAIT_MS) {
    schedule(Math.min(quiet - quietFor, MAX_WAIT_MS - (now - endedAt)));
    return;
  }
  inFlight = true;
  // Already loading (the app called revalidate() itself): the idle that follows ends ours too.
  sawLoading = revalidator.state === "loading";
  setLiveTargets(queued.has(EVERY_ROUTE) ? null : new Set(queued.keys()));
  queued.clear();
  revalidator.revalidate();
  const started = endedAt;
  setTimeout(() => {
    if (inFlight && !sawLoading && endedAt === started) finishRevalidation();
  }, UNSEEN_REVALIDATION_MS);
}

function finishRevalidation(): void {
  inFlight = false;
  sawLoading = false;
  setLiveTargets(null);
  endedAt = Date.now();
  if (queued.size) schedule(coalesceMs);
}
