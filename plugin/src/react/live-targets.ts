/**
 * Which routes a live revalidation is for. Every route module's `shouldRevalidate` is wrapped by
 * the plugin (see vite/transforms/wrap-should-revalidate.ts): during a live revalidation it
 * answers whether its route is one of these, so only the loaders of routes that heard an event
 * re-run (not the root's, not a sibling layout's). At any other time it changes nothing.
 */
interface ShouldRevalidateArgs {
  defaultShouldRevalidate: boolean;
  currentUrl?: URL;
  nextUrl?: URL;
  formMethod?: string;
}
type ShouldRevalidate<Args extends ShouldRevalidateArgs> = (args: Args) => boolean;

/** `null`: no live revalidation is running, or one for every route (a hand-written stream's event). */
let targets: ReadonlySet<string> | null = null;

export function setLiveTargets(next: ReadonlySet<string> | null): void {
  targets = next;
}

/**
 * The `shouldRevalidate` of route `routeId`, around the route's own one (`own`) if it has one. A
 * module that several routes share gets all their ids, and answers for whichever is on the page.
 */
export function liveShouldRevalidate<Args extends ShouldRevalidateArgs>(routeId: string | string[], own?: ShouldRevalidate<Args>): ShouldRevalidate<Args> {
  return (args) => {
    // Only a revalidation of the page as it is (no navigation, no submission) can be the live one.
    const revalidation = !args.formMethod && (!args.currentUrl || !args.nextUrl || args.currentUrl.href === args.nextUrl.href);
    const live = revalidation ? targets : null;
    const next = live ? { ...args, defaultShouldRevalidate: [routeId].flat().some((id) => live.has(id)) } : args;
    return own ? own(next) : next.defaultShouldRevalidate;
  };
}
