import { writeFileSync } from "node:fs";
import path from "node:path";
import { PLAYGROUND } from "./servers";

/** A route file of the playground that a dev-server test writes and rewrites, as a developer would. */
export function editableRoute(name: string) {
  const file = path.join(PLAYGROUND, `app/routes/${name}.tsx`);
  return {
    file,
    writeRoute({ live, heading }: { live?: string; heading: string }) {
      writeFileSync(
        file,
        [
          `import { useState } from "react";`,
          live === undefined ? "" : `export const live = ${live};`,
          `import { useLoaderData } from "@remix-run/react";`,
          `export function loader() { return { at: Date.now() }; }`,
          `export default function Editing() {`,
          `  const [draft, setDraft] = useState("");`,
          `  const { at } = useLoaderData<typeof loader>();`,
          `  return (<main><h1>${heading}</h1><p aria-label="Loaded at">{at}</p><input aria-label="Draft" value={draft} onChange={(e) => setDraft(e.target.value)} /></main>);`,
          `}`,
          ``,
        ].join("\n"),
      );
    },
    /** The status of `/<name>/stream` when it is an event stream (-1 for another 200), without waiting for it to end. */
    async streamStatus(baseURL: string): Promise<number> {
      const controller = new AbortController();
      const response = await fetch(`${baseURL}/${name}/stream`, { signal: controller.signal });
      const live = response.headers.get("content-type")?.startsWith("text/event-stream");
      controller.abort();
      return live ? response.status : response.status === 200 ? -1 : response.status;
    },
  };
}
