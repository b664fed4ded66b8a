import { json } from "@remix-run/node";
import { emitter } from "remix-live/server";

// How many event streams this process holds, per channel: handy for monitoring, and the e2e
// tests read it to check that closed tabs leave no listener behind.
export function loader() {
  return json(emitter.stats(), { headers: { "Cache-Control": "no-store" } });
}
