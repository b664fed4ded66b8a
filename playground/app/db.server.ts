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
  db.pragma("journal_mode = WAL");
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
  `);
  return db;
}

// One connection per process, kept across dev-server module reloads.
const holder = globalThis as { __playgroundDb?: Database.Database };
const db = (holder.__playgroundDb ??= open());

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
