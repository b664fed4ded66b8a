// The router package this app uses (the React Router overlay replaces this file).
export { Outlet, useLoaderData } from "@remix-run/react";
