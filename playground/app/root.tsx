import { isRouteErrorResponse, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import type { LinksFunction } from "@remix-run/node";
import { countLoaderRun } from "./loader-runs.server";
import styles from "./styles.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// Counted, so the e2e tests can show that a live event does not re-run the root's loader.
export function loader() {
  countLoaderRun("root");
  return null;
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site">
          <Link to="/">remix-live playground</Link>
        </header>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

// Whatever fails (the server went away mid-submit, a page that does not exist), the visitor gets a
// page that says so and a way on, not Remix's bare "Application Error".
export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText || "Error"}` : "Something went wrong";
  return (
    <main>
      <title>{`${title} · remix-live`}</title>
      <h1>{title}</h1>
      <p>
        {isRouteErrorResponse(error)
          ? String(error.data || "The page could not be shown.")
          : "The server could not be reached, or the page failed. Try again in a moment."}
      </p>
      <p>
        <a href="">Try again</a> · <Link to="/">Back to the start</Link>
      </p>
    </main>
  );
}
