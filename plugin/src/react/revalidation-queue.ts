/**
 * Coalesces invalidations into as few loader revalidations as possible.
 *
 * Events that arrive together (a burst, or several live routes of one page hearing the same
 * emit) cause one revalidation. An event that arrives while a revalidation runs does not restart
 * it (that would cancel the loaders in flight, over and over, under a steady stream of events);
 * it causes exactly one more revalidation after the current one ends, so no change is missed.
 */
export interface Revalidator {
  revalidate(): void;
  state: "idle" | "loading";
}

let revalidator: Revalidator | null = null;
let pending = false;
let inFlight = false;
let sawLoading = false;
let flushQueued = false;

export function requestRevalidation(): void {
  pending = true;
  if (flushQueued) return;
  flushQueued = true;
  queueMicrotask(() => {
    flushQueued = false;
    flush();
  });
}

/** Called by the live hooks whenever Remix's revalidator changes state. */
export function trackRevalidator(current: Revalidator): void {
  revalidator = current;
  if (current.state === "loading") sawLoading = true;
  else if (inFlight && sawLoading) {
    inFlight = false;
    sawLoading = false;
    if (pending) requestRevalidation();
  }
}

function flush(): void {
  if (!pending || inFlight || !revalidator) return;
  pending = false;
  inFlight = true;
  sawLoading = false;
  revalidator.revalidate();
}
