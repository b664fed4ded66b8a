import type { LoaderFunctionArgs } from "@remix-run/node";
import { createEventStream } from "remix-live/server";

export function loader({ request }: LoaderFunctionArgs) {
  return createEventStream(request, "notes");
}
