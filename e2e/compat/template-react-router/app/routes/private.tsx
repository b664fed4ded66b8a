import type { Route } from "./+types/private";

// Members carry a cookie; everyone else is refused, the page and its stream alike.
function requireMember(request: Request): void {
  if (!/(^|;\s*)member=yes/.test(request.headers.get("Cookie") ?? "")) {
    throw new Response("Forbidden", { status: 403 });
  }
}

export const live = async ({ request }: { request: Request }) => {
  requireMember(request);
  return "private";
};

export async function loader({ request }: Route.LoaderArgs) {
  requireMember(request);
  return { secret: "for members" };
}

export default function Private() {
  return <p>Members only</p>;
}
