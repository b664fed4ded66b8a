// `npm run bench:client`: what the client runtime adds to a live route's browser bundle (minified
// and gzipped, React and Remix left out as the app has them anyway), next to the original demo's
// hook (`useEventSource` + an effect that calls `revalidate()`) written out the same way.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const EXTERNAL = ["react", "@remix-run/react"];

async function size(entry) {
  const result = await build({ ...entry, bundle: true, minify: true, format: "esm", write: false, external: EXTERNAL, platform: "browser", logLevel: "silent", metafile: true });
  const code = result.outputFiles[0].contents;
  const modules = Object.entries(Object.values(result.metafile.outputs)[0].inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput]);
  return { minified: code.length, gzip: gzipSync(code).length, modules };
}

// What the injected wrapper imports: useLiveRoute (the shared connection, its leader tab, coalescing).
const live = await size({ stdin: { contents: `export { useLiveRoute } from "./plugin/dist/react/index.js";`, resolveDir: process.cwd() } });
// The demo's client half: an EventSource per page and a revalidate() per event.
const seed = await size({
  stdin: {
    contents: `
      import { useEffect, useState } from "react";
      import { useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
      function useEventSource(url) {
        const [data, setData] = useState(null);
        useEffect(() => {
          const source = new EventSource(url);
          source.addEventListener("message", (event) => setData(event.data || "unknown"));
          return () => source.close();
        }, [url]);
        return data;
      }
      export function useLiveLoader() {
        const path = useLocation().pathname;
        const data = useEventSource(path + "/stream");
        const { revalidate } = useRevalidator();
        useEffect(() => { revalidate(); }, [data]);
        return useLoaderData();
      }`,
    resolveDir: process.cwd(),
  },
});

const goal = 2048;
console.log(`\n${new Date().toISOString()}, esbuild minify + gzip (level 6), React and Remix external\n`);
console.log("| client | minified | gzip | goal (gzip) |");
console.log("| --- | ---: | ---: | ---: |");
console.log(`| remix-live (useLiveRoute) | ${live.minified} B | ${live.gzip} B | ${live.gzip <= goal ? "met" : "missed"} (≤ ${goal} B) |`);
console.log(`| the demo's useLiveLoader | ${seed.minified} B | ${seed.gzip} B | |`);
console.log("\nWhere remix-live's bytes are (minified):\n");
console.log("| module | minified |");
console.log("| --- | ---: |");
for (const [file, bytes] of live.modules.sort((a, b) => b[1] - a[1])) console.log(`| ${file.replace(/^plugin\/dist\//, "")} | ${bytes} B |`);
