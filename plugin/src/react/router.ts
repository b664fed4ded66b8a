/**
 * The router hooks the runtime uses, from Remix. The build copies the runtime to
 * `remix-live/react-router` with this one file importing from `react-router` instead, so an app
 * installs only the router it uses; the Vite plugin points `remix-live/react` at that copy in React
 * Router apps (see vite/framework.ts).
 */
export { useFetchers, useHref, useLoaderData, useLocation, useMatches, useNavigation, useRevalidator } from "@remix-run/react";
