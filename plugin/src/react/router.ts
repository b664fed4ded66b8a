/**
 * The router hooks the runtime uses, from Remix, and the state of the app's data router. The build
 * copies the runtime to `remix-live/react-router` with this one file importing from `react-router`
 * instead (and reading its router from `__reactRouterDataRouter`), so an app installs only the
 * router it uses; the Vite plugin points `remix-live/react` at that copy in React Router apps (see
 * vite/framework.ts).
 */
export { useFetchers, useHref, useLoaderData, useLocation, useMatches, useNavigation, useRevalidator } from "@remix-run/react";

/** What the runtime reads of the data router's state. */
export interface RouterState {
  navigation: { state: string };
  revalidation: string;
  fetchers: Map<string, { state: string; formMethod?: string }>;
}

/** The state of the app's data router, which Remix leaves on `window` once it hydrated. */
export const routerState = (): RouterState | undefined => (globalThis as { __remixRouter?: { state: RouterState } }).__remixRouter?.state;
