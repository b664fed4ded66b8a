import { build } from "vite";
import { gzipSync } from "node:zlib";
import { writeFileSync } from "node:fs";
writeFileSync("/tmp/vb/entry.js", `export { useLiveRoute } from "${process.cwd()}/plugin/dist/react/index.js";`);
const out = await build({ root: "/tmp/vb", logLevel: "silent", configFile: false, build: { write: false, minify: "esbuild", rollupOptions: { input: "/tmp/vb/entry.js", external: ["react", "@remix-run/react"], preserveEntrySignatures: "exports-only" } } });
for (const o of out.output) if (o.type === "chunk") console.log(o.fileName, o.code.length, gzipSync(o.code).length, o.isEntry, o.isDynamicEntry);
