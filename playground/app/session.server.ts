import { createCookie, redirect } from "@remix-run/node";

// A name in a cookie, no password: enough identity to show who may read a private room.
const userCookie = createCookie("user", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 30 });

export async function getUser(request: Request): Promise<string | null> {
  const value: unknown = await userCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value ? value : null;
}

/** The signed-in name, or a redirect to the sign-in page (thrown, as loaders do). */
export async function requireUser(request: Request): Promise<string> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?next=${encodeURIComponent(url.pathname.replace(/\/stream$/, ""))}`);
}

export async function signIn(name: string, next: string): Promise<Response> {
  return redirect(next, { headers: { "Set-Cookie": await userCookie.serialize(name) } });
}
