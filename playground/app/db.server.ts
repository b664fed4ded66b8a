import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export interface Message {
  id: number;
  author: string;
  body: string;
  createdAt: string;
}

const file = path.resolve(process.env.DATABASE_PATH ?? "data/chat.db");

function open(): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets several server processes (dev and build side by side, or many instances) share the file.
  useWal(db);
  // Commits wait for no disk flush (WAL stays consistent; a power cut may lose the last ones), as
  // most SQLite web apps run: a request never stalls the server on a slow disk.
  db.pragma("synchronous = NORMAL");
  db.exec(`
    CREATE TABLE IF NOT EXISTS messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      author TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE IF NOT EXISTS notes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      text TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rooms (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      private INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS room_members (
      room_id INTEGER NOT NULL REFERENCES rooms (id),
      user TEXT NOT NULL,
      PRIMARY KEY (room_id, user)
    );
    CREATE TABLE IF NOT EXISTS room_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      room_id INTEGER NOT NULL REFERENCES rooms (id),
      author TEXT NOT NULL,
      body TEXT NOT NULL
    );
    -- First start: two open rooms and one that only alice may read.
    INSERT OR IGNORE INTO rooms (id, name, private) VALUES (1, 'General', 0), (2, 'Random', 0), (3, 'Staff', 1);
    INSERT OR IGNORE INTO room_members (room_id, user) VALUES (3, 'alice');
  `);
  return db;
}

/**
 * Switches the file to WAL. Two processes opening a new file at once (instances started together)
 * both try; SQLite answers the one that finds the file busy with SQLITE_BUSY at once, without
 * waiting, and that process would exit. It tries again, for up to five seconds.
 */
function useWal(db: Database.Database): void {
  for (let tries = 1; ; tries++) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || tries === 50) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

// One connection per process, kept across dev-server module reloads.
const holder = globalThis as { __playgroundDb?: Database.Database };
export const db = (holder.__playgroundDb ??= open());

export function listMessages(limit = 100): Message[] {
  return db
    .prepare(
      `SELECT id, author, body, created_at AS createdAt FROM
         (SELECT * FROM messages ORDER BY id DESC LIMIT ?) ORDER BY id`,
    )
    .all(limit) as Message[];
}

export function addMessage(author: string, body: string): Message {
  return db
    .prepare("INSERT INTO messages (author, body) VALUES (?, ?) RETURNING id, author, body, created_at AS createdAt")
    .get(author, body) as Message;
}

export interface Note {
  id: number;
  text: string;
}

export function listNotes(): Note[] {
  return db.prepare("SELECT id, text FROM notes ORDER BY id DESC LIMIT 50").all() as Note[];
}

export function addNote(text: string): void {
  db.prepare("INSERT INTO notes (text) VALUES (?)").run(text);
}
