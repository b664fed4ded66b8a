import { json, type ActionFunctionArgs } from "@remix-run/node";
import { emit } from "remix-live/server";
import { addMessage } from "~/db.server";

// A burst, as a busy import or a chatty integration makes one: `count` chat messages (default 100),
// each followed by emit("chat"), spread over about `over` milliseconds (default 100).
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const label = String(form.get("label") ?? "burst");
  const count = Math.min(Number(form.get("count") ?? 100), 1000);
  const over = Number(form.get("over") ?? 100);
  for (let i = 1; i <= count; i++) {
    addMessage("burst", `${label} #${i}`);
    emit("chat");
    await new Promise((resolve) => setTimeout(resolve, over / count));
  }
  return json({ emitted: count });
}
