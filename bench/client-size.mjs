// `npm run bench:client`: what the client runtime adds to a live route's browser bundle (minified
// and gzipped, React and Remix left out as the app has them anyway), next to the original demo's
// hook (`useEventSource` + an effect that calls `revalidate()`) written out the same way.
//
// The runtime is built as a Remix or React Router app builds it: by Vite, into the route's bundle
// (the entry's chunk and what it imports statically) and a chunk it loads with `import()` when the
// page first follows a live route. Where the bytes are, module by module, comes from esbuild's
// metafile (the same split; Vite does not report minified sizes per module).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";

const EXTERNAL = ["react", "@remix-run/react"];
const runtime = path.resolve("plugin/dist/react/index.js");

/** Builds `code` as an app's module with Vite; the gzipped sizes of the route's bundle and of what loads later. */
async function viteSizes(code, { onePiece = false } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "remix-live-client-size-"));
  try {
    writeFileSync(path.join(dir, "entry.js"), code);
    const { output } = await viteBuild({
      root: dir,
      configFile: false,
      logLevel: "silent",
      build: { write: false, rollupOptions: { input: path.join(dir, "entry.js"), external: EXTERNAL, preserveEntrySignatures: "exports-only", output: { inlineDynamicImports: onePiece } } },
    });
    const chunks = output.filter((chunk) => chunk.type === "chunk");
    const eagerFiles = new Set(chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName));
    const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
    for (const file of eagerFiles) for (const imported of byName.get(file).imports) if (byName.has(imported)) eagerFiles.add(imported);
    const gzip = (list) => list.reduce((total, chunk) => total + gzipSync(chunk.code).length, 0);
    return { eager: gzip(chunks.filter((chunk) => eagerFiles.has(chunk.fileName))), lazy: gzip(chunks.filter((chunk) => !eagerFiles.has(chunk.fileName))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same split by esbuild: each output chunk's modules and their minified bytes. */
async function modules(code) {
  const result = await esbuild({ stdin: { contents: code, resolveDir: process.cwd() }, bundle: true, minify: true, format: "esm", splitting: true, outdir: "bench-out", write: false, external: EXTERNAL, platform: "browser", logLevel: "silent", metafile: true });
  const meta = result.metafile.outputs;
  const eagerFiles = new Set(Object.keys(meta).filter((file) => meta[file].entryPoint === "<stdin>"));
  for (const file of eagerFiles) for (const { path: imported, kind } of meta[file].imports) if (kind === "import-statement" && meta[imported]) eagerFiles.add(imported);
  return Object.entries(meta).flatMap(([file, output]) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input, { bytesInOutput }]) => ({ eager: eagerFiles.has(file), module: input.replace(/^plugin\/dist\//, ""), bytes: bytesInOutput })),
  );
}

// What the injected wrapper imports: useLiveRoute (the shared connection, its leader tab, coalescing).
const liveCode = `export { useLiveRoute } from ${JSON.stringify(runtime)};`;
const live = await viteSizes(liveCode);
// The same, bundled in one piece (the dynamic import inlined), as it was before the split.
const whole = await viteSizes(liveCode, { onePiece: true });
// A root layout that shows useLiveStatus() on every page.
const status = await viteSizes(`export { useLiveStatus } from ${JSON.stringify(runtime)};`);
// The demo's client half: an EventSource per page and a revalidate() per event.
const seed = await viteSizes(`
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
  }`);

const goal = 2048;
console.log(`\n${new Date().toISOString()}, Vite ${(await import("vite")).version} build (esbuild minify) + gzip (level 6), React and Remix external\n`);
console.log("| client | in the route's bundle | goal | loaded when the page first follows a live route | both |");
console.log("| --- | ---: | ---: | ---: | ---: |");
console.log(`| remix-live (useLiveRoute) | ${live.eager} B | ${live.eager <= goal ? "met" : "missed"} (≤ ${goal} B) | ${live.lazy} B | ${live.eager + live.lazy} B |`);
console.log(`| remix-live in one piece | ${whole.eager} B | ${whole.eager <= goal ? "met" : "missed"} | | ${whole.eager} B |`);
console.log(`| useLiveStatus() alone (a root layout) | ${status.eager} B | | ${status.lazy} B (with a live route) | |`);
console.log(`| the demo's useLiveLoader | ${seed.eager} B | | | ${seed.eager} B |`);
console.log("\nWhere remix-live's bytes are (esbuild, minified):\n");
console.log("| chunk | module | minified |");
console.log("| --- | --- | ---: |");
for (const { eager, module, bytes } of (await modules(liveCode)).sort((a, b) => Number(b.eager) - Number(a.eager) || b.bytes - a.bytes)) {
  console.log(`| ${eager ? "the route's bundle" : "loaded when needed"} | ${module} | ${bytes} B |`);
}
