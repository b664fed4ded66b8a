import { appendFileSync, existsSync, readFileSync } from "node:fs";

// A file, so that every process of a cell (servers and the emitting script) sees one list.
const FILE = process.env.MESSAGES_FILE ?? "messages.txt";

export function listMessages(): string[] {
  return existsSync(FILE) ? readFileSync(FILE, "utf8").split("\n").filter(Boolean) : [];
}

export function addMessage(text: string): void {
  appendFileSync(FILE, `${text.replace(/\s+/g, " ")}\n`);
}
