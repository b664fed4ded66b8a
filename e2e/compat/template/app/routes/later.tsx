import { useLoaderData } from "~/router";

// Not live until a test adds `live` to it while the dev server runs.
export function loader() {
  return { title: "Later" };
}

export default function Later() {
  const { title } = useLoaderData<typeof loader>();
  return <h1>{title}</h1>;
}
