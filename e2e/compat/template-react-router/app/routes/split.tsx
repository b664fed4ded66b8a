import { useLoaderData } from "react-router";
import type { Route } from "./+types/split";

// A route with a clientLoader: React Router 8 builds it as split route modules (`?route-chunk=`).
export const live = "split";

export function loader() {
  return { at: Date.now() };
}

export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  return await serverLoader();
}

export default function Split() {
  const { at } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Split {at > 0 ? "loaded" : ""}</h1>
      <p aria-label="Loaded at">{at}</p>
    </main>
  );
}
