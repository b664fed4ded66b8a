// Throws from its loader when asked (`/boom?boom=1`), so that a test can read the stack trace the
// server prints for it; without the parameter it answers as any page does.
export function loader({ request }: { request: Request }) {
  if (new URL(request.url).searchParams.has("boom")) throw new Error("boom from loader");
  return new Response("no boom", { headers: { "Content-Type": "text/plain" } });
}
