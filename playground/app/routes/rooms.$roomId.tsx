import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { MessageForm, MessageList } from "~/components/message-list";
import { countLoaderRun } from "~/loader-runs.server";
import { assertCanRead, listRoomMessages, postRoomMessage } from "~/rooms.server";
import { requireUser } from "~/session.server";

// Runs on the server for every subscription to /rooms/:roomId/stream, like a loader: a visitor
// who may not read the room gets the 403 (or the redirect to sign in) instead of a stream.
export const live = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const room = assertCanRead(user, params.roomId);
  return `room:${room.id}`;
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.room.name ?? "Room"} · remix-live` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const room = assertCanRead(user, params.roomId);
  countLoaderRun(`room:${room.id}`);
  return json({ room, messages: listRoomMessages(room.id) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const error = await postRoomMessage(request, params.roomId);
  return json({ error }, { status: error ? 400 : 200 });
}

export default function RoomPage() {
  const { room, messages } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{room.name}</h1>
      <MessageList messages={messages} />
      <MessageForm />
    </section>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <section>
      <h1>{isRouteErrorResponse(error) ? `${error.status}` : "Error"}</h1>
      <p role="alert">{isRouteErrorResponse(error) ? String(error.data) : "Something went wrong."}</p>
    </section>
  );
}
