// The router package this app uses: the React Router overlay replaces this file, and the app's
// routes import from here, so the two templates share them.
export { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useFetcher, useLoaderData } from "@remix-run/react";
