import { emitter } from "remix-live/server";

export function loader() {
  return Response.json(emitter.stats());
}
