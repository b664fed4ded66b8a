import { Outlet, useLoaderData } from "~/router";
import { countRun } from "~/loader-runs.server";

// A live layout: the list of rooms follows "rooms".
export const live = "rooms";

export function loader() {
  countRun("rooms");
  return { rooms: ["1", "7"] };
}

export default function Rooms() {
  const { rooms } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Rooms ({rooms.length})</h1>
      <Outlet />
    </main>
  );
}
