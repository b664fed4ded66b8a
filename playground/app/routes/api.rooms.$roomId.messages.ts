import { json, type ActionFunctionArgs } from "@remix-run/node";
import { emit } from "remix-live/server";
import { addRoomMessage, assertCanRead } from "~/rooms.server";
import { requireUser } from "~/session.server";

// POST /api/rooms/:roomId/messages (form field `message`): posting without a browser.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const room = assertCanRead(user, params.roomId);
  const body = String((await request.formData()).get("message") ?? "").trim();
  if (!body) return json({ error: "Write a message first." }, { status: 400 });
  addRoomMessage(room.id, user, body.slice(0, 1000));
  emit(`room:${room.id}`);
  return json({ ok: true }, { status: 201 });
}
