import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { emit } from "remix-live/server";
import { countLoaderRun } from "~/loader-runs.server";
import { addRoomMessage, assertCanRead, listRoomMessages } from "~/rooms.server";
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
  const user = await requireUser(request);
  const room = assertCanRead(user, params.roomId);
  const body = String((await request.formData()).get("message") ?? "").trim();
  if (!body) return json({ error: "Write a message first." }, { status: 400 });
  addRoomMessage(room.id, user, body.slice(0, 1000));
  emit(`room:${room.id}`);
  return json({ error: null });
}

export default function RoomPage() {
  const { room, messages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const messageInput = useRef<HTMLInputElement>(null);

  // Clear the message box once the server has taken the message; a message from someone else
  // (a live update) leaves what you are typing alone.
  useEffect(() => {
    if (navigation.state !== "idle" || !result || result.error) return;
    messageInput.current!.value = "";
  }, [navigation.state, result]);

  return (
    <section>
      <h1>{room.name}</h1>
      <ul className="messages" aria-label="Messages">
        {messages.length === 0 ? <li className="empty">No messages yet.</li> : null}
        {messages.map((message) => (
          <li key={message.id}>
            <span className="author">{message.author}</span>
            <span className="body">{message.body}</span>
          </li>
        ))}
      </ul>
      <Form method="post">
        <input ref={messageInput} name="message" placeholder="Message" aria-label="Message" autoComplete="off" required />
        <button type="submit">Send</button>
      </Form>
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
