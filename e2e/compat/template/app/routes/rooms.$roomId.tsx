import { useLoaderData } from "~/router";
import { countRun } from "~/loader-runs.server";

// A live child on a channel of its own, named by its URL.
export const live = "room:$roomId";

export function loader({ params }: { params: { roomId?: string } }) {
  countRun("room");
  return { roomId: params.roomId };
}

export default function Room() {
  const { roomId } = useLoaderData<typeof loader>();
  return <h2>Room {roomId}</h2>;
}
