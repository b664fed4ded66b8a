import { Link } from "@remix-run/react";

export default function Index() {
  return (
    <main>
      <h1>Compatibility app</h1>
      <Link to="/chat">Chat</Link>
    </main>
  );
}
