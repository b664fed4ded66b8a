import { Link } from "~/router";
import { useLiveStatus } from "remix-live/react";

export default function Index() {
  // A page with no live route, showing the status as a badge in a root layout would.
  const status = useLiveStatus();
  return (
    <main>
      <h1>Compatibility app</h1>
      <p role="status" aria-label="Live updates">
        {status}
      </p>
      <Link to="/chat">Chat</Link>
    </main>
  );
}
