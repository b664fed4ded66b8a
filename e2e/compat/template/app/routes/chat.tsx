import { Form, Link, useFetcher, useLoaderData } from "~/router";
import { useLiveStatus } from "remix-live/react";
import { emit } from "remix-live/server";
import { addMessage, listMessages } from "~/messages.server";

export const live = "chat";

// The page's own code may use `live` too (only the export leaves the browser's copy).
export const handle = { channel: live };

export async function loader() {
  return { messages: listMessages() };
}

export async function action({ request }: { request: Request }) {
  const form = await request.formData();
  addMessage(String(form.get("message") ?? ""));
  emit("chat");
  return null;
}

export default function Chat() {
  const { messages } = useLoaderData<typeof loader>();
  const status = useLiveStatus();
  // A fetcher that loads the page's own URL, as a "load more" would (each load a URL of its own).
  const counter = useFetcher<typeof loader>();
  return (
    <main>
      <h1>Chat</h1>
      <p>Following {live}</p>
      <p role="status" aria-label="Live updates">
        {status}
      </p>
      <ul aria-label="Messages">
        {messages.map((message, index) => (
          <li key={index}>{message}</li>
        ))}
      </ul>
      <Form method="post" navigate={false}>
        <input name="message" aria-label="Message" />
        <button type="submit">Send</button>
      </Form>
      <button type="button" onClick={() => counter.load(`/chat?at=${Date.now()}`)}>
        Count messages
      </button>
      {counter.data ? <p>Counted {counter.data.messages.length}</p> : null}
      <Link to="/rooms/7">Room 7</Link>
    </main>
  );
}
