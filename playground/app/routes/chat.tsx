import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { LiveStatus } from "~/components/live-status";
import { MessageForm, MessageList } from "~/components/message-list";
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
  return (
    <main>
      <h1>Chat</h1>
      <LiveStatus />
      <MessageList messages={messages} />
      <MessageForm>
        <input name="author" placeholder="Your name" aria-label="Your name" />
      </MessageForm>
    </main>
  );
}
