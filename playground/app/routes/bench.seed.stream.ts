import type { LoaderFunctionArgs } from "@remix-run/node";
import { seedEventStream } from "~/bench/seed-design.server";

export function loader({ request }: LoaderFunctionArgs) {
  return seedEventStream(request, "bench");
}
