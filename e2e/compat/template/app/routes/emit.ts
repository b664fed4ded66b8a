import { emit } from "remix-live/server";
import { addMessage } from "~/messages.server";

// Emits the form's `channel`, as any server code of the app would after a change; `count` times
// (default once) spread over `over` ms, as a busy import makes a burst: each emit is due at its own
// moment from the first, so a busy server catches up on a late timer instead of stretching the
// burst over seconds. With a `label`, a chat message `<label> #<n>` is added before each emit.
export async function action({ request }: { request: Request }) {
  const form = await request.formData();
  const channel = String(form.get("channel"));
  const label = form.get("label");
  const count = Math.min(Number(form.get("count") ?? 1), 1000);
  const over = Number(form.get("over") ?? 0);
  const start = Date.now();
  for (let i = 1; i <= count; i++) {
    if (label !== null) addMessage(`${label} #${i}`);
    emit(channel);
    const due = start + (i * over) / count - Date.now();
    if (i < count && due > 0) await new Promise((resolve) => setTimeout(resolve, due));
  }
  return new Response(null, { status: 204 });
}
