import { expect, test } from "@playwright/test";

test("the module the dev server sends the browser holds no live function and none of its imports", async ({ request }) => {
  const response = await request.get("/app/routes/rooms.$roomId.tsx");
  expect(response.ok()).toBe(true);
  const code = await response.text();
  expect(code).toContain("RemixLive_RoomPage");
  for (const serverOnly of ["export const live", "requireUser", "session.server", "assertCanRead", "rooms.server"]) {
    expect(code, `${serverOnly} in the browser's module`).not.toContain(serverOnly);
  }
});
