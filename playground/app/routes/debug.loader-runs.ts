import { json } from "@remix-run/node";
import { loaderRuns } from "~/loader-runs.server";

export function loader() {
  return json(loaderRuns(), { headers: { "Cache-Control": "no-store" } });
}
