import { json, type ActionFunctionArgs } from "@remix-run/node";
import { postRoomMessage } from "~/rooms.server";

// POST /api/rooms/:roomId/messages (form field `message`): posting without a browser.
export async function action({ request, params }: ActionFunctionArgs) {
  const error = await postRoomMessage(request, params.roomId);
  return error ? json({ error }, { status: 400 }) : json({ ok: true }, { status: 201 });
}
