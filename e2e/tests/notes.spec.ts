import { expect, test } from "@playwright/test";
import { expectFollowers, uniqueText } from "./helpers";

test("useLiveLoader with a hand-written stream route keeps a page fresh", async ({ page, request }) => {
  await page.goto("/notes");
  await page.waitForFunction(() => (window as { __remixRouter?: unknown }).__remixRouter !== undefined);
  await expectFollowers(request, "notes", 1);

  const text = uniqueText("note");
  expect((await request.post("/notes", { form: { note: text } })).status()).toBe(200);
  await expect(page.getByRole("list", { name: "Notes" }).getByText(text)).toBeVisible();
  await page.close();
  await expectFollowers(request, "notes", 0);
});
