import { Outlet } from "@remix-run/react";

// Endpoints for `npm run bench`: /bench/stream (remix-live's generated route for this channel),
// /bench/seed/stream (the original demo's design), POST /bench/emit and /bench/stats.
export const live = "bench";

export default function Bench() {
  return (
    <main>
      <h1>Benchmark endpoints</h1>
      <Outlet />
    </main>
  );
}
