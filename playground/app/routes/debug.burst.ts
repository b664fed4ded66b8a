import { json, type ActionFunctionArgs } from "@remix-run/node";
import { emit } from "remix-live/server";
import { addMessage } from "~/db.server";

// A burst, as a busy import or a chatty integration makes one: `count` chat messages (default 100),
// each followed by emit("chat"), spread over `over` milliseconds (default 100). Each emit is due at
// its own moment from the first: on a busy server a late timer is caught up on, so the burst still
// takes about `over` ms instead of stretching over seconds (the server's other requests run between
// its emits).
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const label = String(form.get("label") ?? "burst");
  const count = Math.min(Number(form.get("count") ?? 100), 1000);
  const over = Number(form.get("over") ?? 100);
  const start = Date.now();
  for (let i = 1; i <= count; i++) {
    addMessage("burst", `${label} #${i}`);
    emit("chat");
    const due = start + (i * over) / count - Date.now();
    if (i < count && due > 0) await new Promise((resolve) => setTimeout(resolve, due));
  }
  return json({ emitted: count });
}
