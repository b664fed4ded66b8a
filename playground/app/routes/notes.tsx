import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { emitter } from "remix-live/server";
import { useLiveLoader } from "remix-live/react";
import { addNote, listNotes } from "~/db.server";

// The original demo's way, still supported: a hand-written stream route (notes.stream.ts) and
// useLiveLoader() instead of `export const live`.

export const meta: MetaFunction = () => [{ title: "Notes · remix-live" }];

export async function loader() {
  return json({ notes: listNotes() });
}

export async function action({ request }: ActionFunctionArgs) {
  const text = String((await request.formData()).get("note") ?? "").trim();
  if (!text) return json({ error: "Write a note first." }, { status: 400 });
  addNote(text.slice(0, 500));
  emitter.emit("notes");
  return json({ error: null });
}

export default function Notes() {
  const { notes } = useLiveLoader<typeof loader>();
  return (
    <main>
      <h1>Notes</h1>
      <ul className="messages" aria-label="Notes">
        {notes.length === 0 ? <li className="empty">No notes yet.</li> : null}
        {notes.map((note) => (
          <li key={note.id}>{note.text}</li>
        ))}
      </ul>
      <Form method="post">
        <input name="note" placeholder="Note" aria-label="Note" autoComplete="off" required />
        <button type="submit">Add</button>
      </Form>
    </main>
  );
}
