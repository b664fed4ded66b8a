import { loaderRuns } from "~/loader-runs.server";

export function loader() {
  return new Response(JSON.stringify(loaderRuns()), { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
