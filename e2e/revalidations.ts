import type { Page, Request } from "@playwright/test";

/**
 * Longer than the client waits, at most, between two revalidations of a burst (1 s after the last
 * one ended: MAX_WAIT_MS in revalidation-queue.ts), with time for a slow tab to render that one
 * once its data came: once a page's revalidations have been settled that long, a burst is done with it.
 */
export const SETTLED_AFTER_MS = 2_500;

/**
 * The data requests a page made for revalidations, how many of them have been answered, and for
 * how long none has been under way (`settledFor()`, in ms: 0 while one is).
 */
export type Revalidations = Array<string | null> & { answered: number; settledFor(): number };

/**
 * The revalidations `page` makes of the page at `path`, counted when each data request is sent:
 * with single fetch (and React Router), one `<path>.data` request per revalidation, recorded with
 * its `_routes` (`null` when every loader of the page ran for it); without it, one `<path>?_data=<route
 * id>` request per loader, recorded with that route id (not for the index path `/`, whose data
 * requests React Router names `/_root.data`). `answered` counts those whose answer has been read
 * (or that failed): their loaders ran before anything that happens next.
 */
export function revalidationsOf(page: Page, path: string): Revalidations {
  let answered = 0;
  let lastAnsweredAt = Date.now();
  // Not enumerable, so `toEqual` compares the routes only.
  const seen = Object.defineProperties([] as Array<string | null>, {
    answered: { get: () => answered },
    settledFor: { value: () => (answered < seen.length ? 0 : Date.now() - lastAnsweredAt) },
  }) as Revalidations;
  const routesOf = (request: Request): string | null | undefined => {
    const url = new URL(request.url());
    // Remix's loads are fetch() requests; a `<Link prefetch>`'s `<link rel=prefetch>` is not one.
    if (request.method() !== "GET" || request.resourceType() !== "fetch") return undefined;
    if (url.pathname === `${path}.data`) return url.searchParams.get("_routes");
    return url.pathname === path ? (url.searchParams.get("_data") ?? undefined) : undefined;
  };
  page.on("request", (request) => {
    const routes = routesOf(request);
    if (routes !== undefined) seen.push(routes);
  });
  const answer = (request: Request) => {
    if (routesOf(request) === undefined) return;
    answered += 1;
    lastAnsweredAt = Date.now();
  };
  page.on("requestfinished", answer);
  page.on("requestfailed", answer);
  return seen;
}
