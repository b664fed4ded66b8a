import { Link } from "~/router";

export default function Index() {
  return (
    <main>
      <h1>Compatibility app</h1>
      <Link to="/chat">Chat</Link>
    </main>
  );
}
