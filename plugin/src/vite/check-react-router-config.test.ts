import { expect, test } from "vitest";
import { checkReactRouterConfig } from "./check-react-router-config.js";

const live: Array<[string, string]> = [
  ["app/routes/chat.tsx", "/chat"],
  ["app/routes/chat.tsx", "/lounge"],
  ["app/routes/rooms.$roomId.tsx", "/rooms/:roomId"],
];
const thrown = (config: Parameters<typeof checkReactRouterConfig>[1]) => {
  try {
    checkReactRouterConfig(live, config);
    return "accepted";
  } catch (error) {
    return (error as Error).message;
  }
};

test("SPA mode with a live route is refused, naming a live file", () => {
  expect(thrown({ ssr: false })).toMatch(/^remix-live needs a server: app\/routes\/chat\.tsx exports `live`, but react-router\.config\.ts sets `ssr: false`/);
  expect(() => checkReactRouterConfig([], { ssr: false })).not.toThrow();
});

test("a prerendered live page is refused, whichever of its URLs is listed, params included", () => {
  expect(thrown({ ssr: true, prerender: ["/", "/lounge"] })).toContain("app/routes/chat.tsx exports `live`, but react-router.config.ts prerenders /lounge:");
  expect(thrown({ ssr: true, prerender: { paths: ["/rooms/1/"] } })).toContain("app/routes/rooms.$roomId.tsx exports `live`, but react-router.config.ts prerenders /rooms/1/:");
  expect(thrown({ ssr: true, prerender: ["/", "/about", "/rooms"] })).toBe("accepted");
});

test("`prerender: true` prerenders every page without params; a function's paths are not known here", () => {
  expect(thrown({ ssr: true, prerender: true })).toContain("prerenders /chat:");
  expect(() => checkReactRouterConfig([["app/routes/rooms.$roomId.tsx", "/rooms/:roomId"]], { prerender: true })).not.toThrow();
  expect(thrown({ ssr: true, prerender: () => ["/chat"] })).toBe("accepted");
});
