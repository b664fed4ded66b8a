import { json } from "@remix-run/node";
import { emit } from "remix-live/server";
import { seedEmitter } from "~/bench/seed-design.server";

// One event to every benchmark stream, of both designs.
export function action() {
  emit("bench");
  seedEmitter.emit("bench");
  return json({ ok: true });
}
