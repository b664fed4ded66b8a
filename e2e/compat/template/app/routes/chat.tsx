import { Form, useLoaderData } from "~/router";
import { emit } from "remix-live/server";
import { addMessage, listMessages } from "~/messages.server";

export const live = "chat";

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
  return (
    <main>
      <h1>Chat</h1>
      <ul aria-label="Messages">
        {messages.map((message, index) => (
          <li key={index}>{message}</li>
        ))}
      </ul>
      <Form method="post" navigate={false}>
        <input name="message" aria-label="Message" />
        <button type="submit">Send</button>
      </Form>
    </main>
  );
}
