// Scratch: where the gaps in a burst come from (server vs. tab). Not part of the suite.
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "../scripts/find-chromium.mjs";
const base = process.env.BASE ?? "http://localhost:5499";
const throttle = Number(process.env.THROTTLE ?? 1);
const t0 = Date.now();
const t = () => Date.now() - t0;
const browser = await chromium.launch({ executablePath: (findChromium() as any).executablePath, args: CHROMIUM_ARGS });
const context = await browser.newContext({ baseURL: base });
await context.addInitScript(() => {
  const w = window as any; w.__log = [];
  const read = ReadableStreamDefaultReader.prototype.read;
  ReadableStreamDefaultReader.prototype.read = function (this: any) { return read.call(this).then((r: any) => { if (r.value) w.__log.push([Date.now(), "read " + r.value.length]); return r; }); } as any;
  const desc = Object.getOwnPropertyDescriptor(BroadcastChannel.prototype, "onmessage")!;
  Object.defineProperty(BroadcastChannel.prototype, "onmessage", { set(fn: any) { desc.set!.call(this, (e: any) => { w.__log.push([Date.now(), "bc " + JSON.stringify(e.data).slice(0, 60)]); return fn(e); }); }, get() { return desc.get!.call(this); } });
});
const tabs = [] as any[];
for (let i = 0; i < 3; i++) {
  const p = await context.newPage();
  await p.goto("/chat");
  await p.waitForFunction(() => document.querySelector("[data-live-status]") || true);
  tabs.push(p);
}
await new Promise((r) => setTimeout(r, 2000));
const log: string[] = [];
for (const [i, p] of tabs.entries()) {
  if (throttle > 1) { const cdp = await context.newCDPSession(p); await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle }); }
  p.on("request", (r: any) => { const u = new URL(r.url()); if (u.pathname.startsWith("/chat") && r.resourceType() === "fetch") log.push(`${t()} tab${i} run ${u.pathname}${u.search}`); });
}
// A plain client on the chat's own stream: when the server sent each event.
const ctrl = new AbortController();
const res = await fetch(`${base}/chat/stream`, { headers: { Accept: "text/event-stream" }, signal: ctrl.signal });
(async () => { const rd = res.body!.getReader(); const dec = new TextDecoder(); try { for (;;) { const { value, done } = await rd.read(); if (done) break; const n = (dec.decode(value).match(/event:|data:/g) ?? []).length; log.push(`${t()} server-sent chunk (${n} fields)`); } } catch {} })();
await new Promise((r) => setTimeout(r, 500));
log.push(`${t()} POST burst`);
const r = await fetch(`${base}/debug/burst`, { method: "POST", body: new URLSearchParams({ label: "probe", count: "100", over: "100" }) });
log.push(`${t()} burst answered ${r.status}`);
await new Promise((r) => setTimeout(r, 4000));
ctrl.abort();
for (const [i, p] of tabs.entries()) for (const [at, what] of await p.evaluate(() => (window as any).__log)) if (at - t0 > 2500) log.push(`${at - t0} tab${i} ${what}`);
log.sort((a, b) => parseInt(a) - parseInt(b));
console.log(log.join("\n"));
await browser.close();
