import { createContext, RouterContextProvider, type MiddlewareFunction } from "react-router";
import type { Route } from "./+types/private";

// Members carry a cookie; everyone else is refused, the page and its stream alike. With middleware
// on (React Router 8, or 7 with future.v8_middleware), this route's middleware reads the cookie
// and the loader and the live function ask the context, as an app that signs users in with
// middleware does: the stream is answered only if remix-live ran the middleware for it.
const memberContext = createContext<boolean>(false);

export const middleware: MiddlewareFunction[] = [
  ({ request, context }) => {
    context.set(memberContext, /(^|;\s*)member=yes/.test(request.headers.get("Cookie") ?? ""));
  },
];

function requireMember(request: Request, context: unknown): void {
  const member =
    context instanceof RouterContextProvider ? context.get(memberContext) : /(^|;\s*)member=yes/.test(request.headers.get("Cookie") ?? "");
  if (!member) throw new Response("Forbidden", { status: 403 });
}

export const live = async ({ request, context }: { request: Request; context: unknown }) => {
  requireMember(request, context);
  return "private";
};

export async function loader({ request, context }: Route.LoaderArgs) {
  requireMember(request, context);
  return { secret: "for members" };
}

export default function Private() {
  return <p>Members only</p>;
}
