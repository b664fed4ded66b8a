import { emit } from "remix-live/server";
import { addMessage } from "~/messages.server";

// Emits the form's `channel`, as any server code of the app would after a change; `count` times
// (default once) spread over about `over` ms, as a busy import makes a burst. With a `label`, a
// chat message `<label> #<n>` is added before each emit.
export async function action({ request }: { request: Request }) {
  const form = await request.formData();
  const channel = String(form.get("channel"));
  const label = form.get("label");
  const count = Math.min(Number(form.get("count") ?? 1), 1000);
  const over = Number(form.get("over") ?? 0);
  for (let i = 1; i <= count; i++) {
    if (label !== null) addMessage(`${label} #${i}`);
    emit(channel);
    if (i < count) await new Promise((resolve) => setTimeout(resolve, over / count));
  }
  return new Response(null, { status: 204 });
}
