import { AsyncLocalStorage } from "node:async_hooks";
import { ORIGIN_HEADER, ORIGIN_PATTERN } from "../shared/emit-origin.js";

/**
 * Which submission an `emit()` belongs to. The plugin wraps every route's `action` with
 * `withEmitOrigin`: while the action runs, emits carry the id the submitting tab sent (see
 * shared/emit-origin.ts). Once the action has returned, Remix's revalidation after it can no longer
 * be relied on to show a change, so later emits (a job the action started) carry no origin.
 */
interface Submission {
  origin: string;
  running: boolean;
}

// One store per process, however many copies of this module Vite's dev server evaluates.
const KEY = Symbol.for("remix-live.emit-origin.v1");
const holder = globalThis as { [KEY]?: AsyncLocalStorage<Submission> };
const storage = (holder[KEY] ??= new AsyncLocalStorage<Submission>());

/** Runs `action` so that the emits it makes are tagged with the submitting tab's origin id, if it sent one. */
export function withEmitOrigin<Args extends { request: Request }, Result>(action: (args: Args) => Result): (args: Args) => Promise<Awaited<Result>> {
  return async (args): Promise<Awaited<Result>> => {
    const origin = args.request.headers.get(ORIGIN_HEADER);
    if (!origin || !ORIGIN_PATTERN.test(origin)) return await action(args);
    const submission: Submission = { origin, running: true };
    try {
      return await storage.run(submission, () => action(args));
    } finally {
      submission.running = false;
    }
  };
}

/** The origin id of the submission whose action is running here, if any. */
export function currentEmitOrigin(): string | undefined {
  const submission = storage.getStore();
  return submission?.running ? submission.origin : undefined;
}
