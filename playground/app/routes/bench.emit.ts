import { json, type ActionFunctionArgs } from "@remix-run/node";
import { emit } from "remix-live/server";
import { seedEmitter } from "~/bench/seed-design.server";

// One event to every benchmark stream, of both designs; `?count=N` sends N to remix-live's, one
// per turn of the event loop, as separate requests would (the stalled-client benchmark).
export async function action({ request }: ActionFunctionArgs) {
  const count = Math.min(Number(new URL(request.url).searchParams.get("count")) || 1, 100_000);
  for (let i = 0; i < count; i++) {
    emit("bench");
    if (count > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  if (count === 1) seedEmitter.emit("bench");
  return json({ ok: true });
}
