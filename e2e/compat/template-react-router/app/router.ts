// The router package this app uses.
export { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useFetcher, useLoaderData } from "react-router";
