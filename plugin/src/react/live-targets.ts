/**
 * Which routes a live revalidation is for. Every route module's `shouldRevalidate` is wrapped by
 * the plugin (see vite/transforms/wrap-should-revalidate.ts): during a live revalidation it
 * answers whether its route is one of these, so only the loaders of routes that heard an event
 * re-run (not the root's, not a sibling layout's). At any other time it changes nothing.
 */
interface ShouldRevalidateArgs {
  defaultShouldRevalidate: boolean;
}
type ShouldRevalidate<Args extends ShouldRevalidateArgs> = (args: Args) => boolean;

/** `null`: no live revalidation is running, or one for every route (after a reconnect). */
let targets: ReadonlySet<string> | null = null;

export function setLiveTargets(next: ReadonlySet<string> | null): void {
  targets = next;
}

/** The `shouldRevalidate` of route `routeId`, around the route's own one (`own`) if it has one. */
export function liveShouldRevalidate<Args extends ShouldRevalidateArgs>(routeId: string, own?: ShouldRevalidate<Args>): ShouldRevalidate<Args> {
  return (args) => {
    const live = targets;
    const next = live ? { ...args, defaultShouldRevalidate: live.has(routeId) } : args;
    return own ? own(next) : next.defaultShouldRevalidate;
  };
}
