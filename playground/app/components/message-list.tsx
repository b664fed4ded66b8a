import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";

export interface ListedMessage {
  id: number;
  author: string;
  body: string;
}

export function MessageList({ messages }: { messages: ListedMessage[] }) {
  return (
    <ul className="messages" aria-label="Messages">
      {messages.length === 0 ? <li className="empty">No messages yet.</li> : null}
      {messages.map((message) => (
        <li key={message.id}>
          <span className="author">{message.author}</span>
          <span className="body">{message.body}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The message box. It is cleared once the server has taken your message; a live update (someone
 * else's message) leaves what you are typing alone. `children` go before the box.
 */
export function MessageForm({ children }: { children?: ReactNode }) {
  const result = useActionData<{ error: string | null }>();
  const navigation = useNavigation();
  const messageInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (navigation.state !== "idle" || !result || result.error) return;
    messageInput.current!.value = "";
    messageInput.current!.focus();
  }, [navigation.state, result]);

  return (
    <>
      <Form method="post">
        {children}
        <input ref={messageInput} name="message" placeholder="Message" aria-label="Message" autoComplete="off" required />
        <button type="submit">Send</button>
      </Form>
      {result?.error ? <p role="alert">{result.error}</p> : null}
    </>
  );
}
