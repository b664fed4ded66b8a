import { json } from "@remix-run/node";
import { emitter } from "remix-live/server";

export function loader() {
  return json(emitter.stats());
}
