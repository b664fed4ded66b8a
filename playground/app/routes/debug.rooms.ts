import { json, type ActionFunctionArgs } from "@remix-run/node";
import { createRoom } from "~/rooms.server";

// Creates a room without telling the room lists, as a database seed would: the e2e tests that count
// a room page's revalidations open a room no other test uses, and a change on "rooms" just before
// the page loads could be caught up on when its stream joins (the client errs toward re-running a
// route whose data is about as old as a change), which is not what those tests count.
export async function action({ request }: ActionFunctionArgs) {
  const name = String((await request.formData()).get("name") ?? "").trim();
  if (!name) return json({ error: "Name the room." }, { status: 400 });
  return json({ id: createRoom(name) });
}
