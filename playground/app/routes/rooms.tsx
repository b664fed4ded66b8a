import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { emit } from "remix-live/server";
import { LiveStatus } from "~/components/live-status";
import { createRoom, listRooms } from "~/rooms.server";
import { requireUser } from "~/session.server";

// The room list follows its own channel; each room page below it follows its room's.
export const live = "rooms";

export const meta: MetaFunction = () => [{ title: "Rooms · remix-live" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ user, rooms: listRooms(user) });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const name = String((await request.formData()).get("name") ?? "").trim().slice(0, 40);
  if (!name) return json({ error: "Name the room." }, { status: 400 });
  createRoom(name);
  emit("rooms");
  return json({ error: null });
}

export default function Rooms() {
  const { user, rooms } = useLoaderData<typeof loader>();
  return (
    <main className="rooms">
      <p>
        Signed in as <strong>{user}</strong> <LiveStatus />
      </p>
      <nav aria-label="Rooms">
        <ul>
          {rooms.map((room) => (
            <li key={room.id}>
              <NavLink to={`/rooms/${room.id}`}>
                {room.name}
                {room.private ? " (private)" : ""}
              </NavLink>
            </li>
          ))}
        </ul>
        <Form method="post" action="/rooms">
          <input name="name" placeholder="New room" aria-label="New room" required />
          <button type="submit">Create</button>
        </Form>
      </nav>
      <Outlet />
    </main>
  );
}
