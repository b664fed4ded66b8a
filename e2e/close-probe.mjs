import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "/work/main/scripts/find-chromium.mjs";
const base = "http://localhost:5499";
const stats = async () => (await (await fetch(`${base}/live-stats`)).json()).channels.chat ?? 0;
const browser = await chromium.launch({ executablePath: (findChromium()).executablePath, args: CHROMIUM_ARGS });
for (let round = 0; round < 5; round++) {
  const context = await browser.newContext({ baseURL: base });
  const tabs = [];
  for (let i = 0; i < Number(process.env.TABS ?? 8); i++) { const p = await context.newPage(); tabs.push(p); }
  await tabs[0].goto("/chat");
  await Promise.all(tabs.slice(1).map((p) => p.goto("/chat")));
  while ((await stats()) !== 1) await new Promise((r) => setTimeout(r, 50));
  const t0 = Date.now();
  await tabs[0].close();
  const seen = [];
  let last = -1;
  while (Date.now() - t0 < 15000) { const n = await stats(); if (n !== last) { seen.push(`${Date.now() - t0}ms:${n}`); last = n; } await new Promise((r) => setTimeout(r, 50)); }
  console.log(`round ${round}: ${seen.join(" ")}`);
  await context.close();
  while ((await stats()) !== 0) await new Promise((r) => setTimeout(r, 50));
}
await browser.close();
