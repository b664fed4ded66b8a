import { Link } from "@remix-run/react";

export default function Index() {
  return (
    <main>
      <h1>remix-live playground</h1>
      <p>
        Open <Link to="/chat">the chat</Link> in two tabs and send a message from one of them.
      </p>
    </main>
  );
}
