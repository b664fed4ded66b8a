/**
 * A browser tab marks each of its submissions with a fresh random id in this header. An `emit()`
 * made while that submission's action runs carries the id in its event (`origin: <id>`), so the tab
 * that caused the event can tell its own echo from other writers' changes: Remix already
 * revalidates after the action, and the echo need not cause a second run.
 */
export const ORIGIN_HEADER = "X-Remix-Live-Origin";

/** What an origin id looks like; anything else in the header is ignored. */
export const ORIGIN_PATTERN = /^[a-z0-9]{6,32}$/;
