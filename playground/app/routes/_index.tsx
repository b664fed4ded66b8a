import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "remix-live playground" }];

export default function Index() {
  return (
    <main>
      <h1>remix-live playground</h1>
      <p>
        Open <Link to="/chat" prefetch="intent">the chat</Link> in two tabs and send a message from one of them.
      </p>
      <p>
        <Link to="/rooms">Rooms</Link> follow one channel per room (<code>room:$roomId</code>), and a private room
        refuses subscribers who are not members.
      </p>
      <p>
        <Link to="/notes">Notes</Link> do the same the original demo's way: a hand-written stream route and{" "}
        <code>useLiveLoader()</code>.
      </p>
    </main>
  );
}
