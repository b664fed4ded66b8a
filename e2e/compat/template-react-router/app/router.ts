// The router package this app uses.
export { Outlet, useLoaderData } from "react-router";
