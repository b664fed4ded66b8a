// The client runtime for React Router apps: dist/react as it is, but for the one module that
// names the router package (src/react/router.ts), which imports from "react-router" here and reads
// the router React Router leaves on `window`.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const target = path.join(dist, "react-router");
rmSync(target, { recursive: true, force: true });
cpSync(path.join(dist, "react"), target, { recursive: true });
for (const file of ["router.js", "router.d.ts"]) {
  const full = path.join(target, file);
  const source = readFileSync(full, "utf8");
  if (!source.includes('from "@remix-run/react"')) throw new Error(`${full} no longer imports from "@remix-run/react"`);
  if (file === "router.js" && !source.includes("__remixRouter")) throw new Error(`${full} no longer reads __remixRouter`);
  writeFileSync(full, source.replaceAll('from "@remix-run/react"', 'from "react-router"').replaceAll("__remixRouter", "__reactRouterDataRouter"));
}
