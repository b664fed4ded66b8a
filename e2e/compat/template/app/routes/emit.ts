import { emit } from "remix-live/server";

// Emits the form's `channel`, as any server code of the app would after a change.
export async function action({ request }: { request: Request }) {
  emit(String((await request.formData()).get("channel")));
  return new Response(null, { status: 204 });
}
