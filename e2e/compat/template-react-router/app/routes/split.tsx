import type { Route } from "./+types/split";

// A route with a clientLoader: React Router 8 builds it as split route modules (`?route-chunk=`).
// Its component takes its data as React Router's props, through remix-live's wrapper.
export const live = "split";

export function loader() {
  return { at: Date.now() };
}

export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  return await serverLoader();
}

export default function Split({ loaderData }: Route.ComponentProps) {
  const { at } = loaderData;
  return (
    <main>
      <h1>Split {at > 0 ? "loaded" : ""}</h1>
      <p aria-label="Loaded at">{at}</p>
    </main>
  );
}
