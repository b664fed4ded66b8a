import { afterEach, expect, test } from "vitest";
import { liveShouldRevalidate, setLiveTargets } from "./live-targets.js";

afterEach(() => setLiveTargets(null));

const args = (defaultShouldRevalidate: boolean) => ({ defaultShouldRevalidate, currentUrl: new URL("http://x/chat") });

test("outside a live revalidation a route behaves as before: its own function, or Remix's default", () => {
  expect(liveShouldRevalidate("root")(args(true))).toBe(true);
  expect(liveShouldRevalidate("root")(args(false))).toBe(false);
  expect(liveShouldRevalidate("root", () => false)(args(true))).toBe(false);
});

test("during a live revalidation only the routes it is for re-run, and a route's own function has the last word", () => {
  setLiveTargets(new Set(["routes/rooms.$roomId"]));
  expect(liveShouldRevalidate("root")(args(true))).toBe(false);
  expect(liveShouldRevalidate("routes/rooms")(args(true))).toBe(false);
  expect(liveShouldRevalidate("routes/rooms.$roomId")(args(true))).toBe(true);
  const seen: boolean[] = [];
  const own = liveShouldRevalidate("routes/rooms", ({ defaultShouldRevalidate }: { defaultShouldRevalidate: boolean }) => {
    seen.push(defaultShouldRevalidate);
    return true;
  });
  expect(own(args(true))).toBe(true);
  expect(seen).toEqual([false]);
});

test("a module that several routes share answers for whichever of them the live revalidation is for", () => {
  setLiveTargets(new Set(["lobby"]));
  expect(liveShouldRevalidate(["routes/rooms.$id", "lobby"])(args(false))).toBe(true);
  setLiveTargets(new Set(["root"]));
  expect(liveShouldRevalidate(["routes/rooms.$id", "lobby"])(args(true))).toBe(false);
});

test("a navigation or a submission during a live revalidation gets Remix's own answer, not the live one", () => {
  setLiveTargets(new Set(["routes/rooms"]));
  const navigation = { defaultShouldRevalidate: true, currentUrl: new URL("http://x/rooms/1"), nextUrl: new URL("http://x/rooms/2") };
  expect(liveShouldRevalidate("routes/rooms.$roomId")(navigation)).toBe(true);
  const submission = { defaultShouldRevalidate: true, currentUrl: new URL("http://x/rooms/1"), nextUrl: new URL("http://x/rooms/1"), formMethod: "POST" };
  expect(liveShouldRevalidate("routes/rooms.$roomId")(submission)).toBe(true);
});
