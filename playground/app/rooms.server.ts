import { emit } from "remix-live/server";
import { db } from "./db.server";
import { requireUser } from "./session.server";

export interface Room {
  id: number;
  name: string;
  private: boolean;
  messages: number;
}

export interface RoomMessage {
  id: number;
  author: string;
  body: string;
}

/** Open rooms, and the private rooms `user` belongs to. */
export function listRooms(user: string): Room[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.name, r.private, (SELECT COUNT(*) FROM room_messages m WHERE m.room_id = r.id) AS messages
         FROM rooms r
        WHERE r.private = 0 OR EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = r.id AND rm.user = ?)
        ORDER BY r.id`,
    )
    .all(user) as (Omit<Room, "private"> & { private: number })[];
  return rows.map((row) => ({ ...row, private: row.private === 1 }));
}

/**
 * Whether `user` may read room `roomId`: a 404 Response for a room that does not exist (or an id
 * that is not one), a 403 Response for a private room they are not a member of.
 */
export function assertCanRead(user: string, roomId: string | undefined): Omit<Room, "messages"> {
  const id = Number(roomId);
  const room = Number.isSafeInteger(id)
    ? (db.prepare("SELECT id, name, private FROM rooms WHERE id = ?").get(id) as { id: number; name: string; private: number } | undefined)
    : undefined;
  if (!room) throw new Response("No such room", { status: 404 });
  const member = db.prepare("SELECT 1 FROM room_members WHERE room_id = ? AND user = ?").get(room.id, user);
  if (room.private === 1 && !member) throw new Response("Forbidden: members only", { status: 403 });
  return { ...room, private: room.private === 1 };
}

export function listRoomMessages(roomId: number): RoomMessage[] {
  return db.prepare("SELECT id, author, body FROM room_messages WHERE room_id = ? ORDER BY id DESC LIMIT 100").all(roomId).reverse() as RoomMessage[];
}

export function addRoomMessage(roomId: number, author: string, body: string): void {
  db.prepare("INSERT INTO room_messages (room_id, author, body) VALUES (?, ?, ?)").run(roomId, author, body);
}

export function createRoom(name: string): number {
  return Number(db.prepare("INSERT INTO rooms (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id").pluck().get(name));
}

/**
 * Adds the form's `message` to a room as the signed-in user, and tells the room's pages. Throws
 * the sign-in redirect, a 404 or a 403 like a loader would; returns what is wrong with the form,
 * or null.
 */
export async function postRoomMessage(request: Request, roomId: string | undefined): Promise<string | null> {
  const user = await requireUser(request);
  const room = assertCanRead(user, roomId);
  const body = String((await request.formData()).get("message") ?? "").trim();
  if (!body) return "Write a message first.";
  addRoomMessage(room.id, user, body.slice(0, 1000));
  emit(`room:${room.id}`);
  return null;
}
