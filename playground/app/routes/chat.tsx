import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { emit } from "remix-live/server";
import { addMessage, listMessages } from "~/db.server";

// The whole of remix-live in a route: every tab showing /chat re-runs this loader after emit("chat").
export const live = "chat";

export const meta: MetaFunction = () => [{ title: "Chat · remix-live" }];

export async function loader() {
  return json({ messages: listMessages() });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const body = String(form.get("message") ?? "").trim();
  const author = String(form.get("author") ?? "").trim() || "anonymous";
  if (!body) return json({ error: "Write a message first." }, { status: 400 });
  addMessage(author.slice(0, 40), body.slice(0, 1000));
  emit("chat");
  return json({ error: null });
}

export default function Chat() {
  const { messages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const messageInput = useRef<HTMLInputElement>(null);

  // Clear the message box once the server has taken the message.
  useEffect(() => {
    if (navigation.state !== "idle" || !result || result.error) return;
    messageInput.current!.value = "";
    messageInput.current!.focus();
  }, [navigation.state, result]);

  return (
    <main>
      <h1>Chat</h1>
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
        <input name="author" placeholder="Your name" aria-label="Your name" />
        <input ref={messageInput} name="message" placeholder="Message" aria-label="Message" autoComplete="off" required />
        <button type="submit">Send</button>
      </Form>
      {result?.error ? <p role="alert">{result.error}</p> : null}
    </main>
  );
}
