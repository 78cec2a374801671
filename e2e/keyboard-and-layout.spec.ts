// Keyboard-only use of the confirm-to-delete flow, and no layout shift while the list loads.
import { expect, test, createServerByApi } from "./fixtures";

test("delete a server with the keyboard only", async ({ signedIn: page, account, request, seed }) => {
  const server = await createServerByApi(request, account, { name: "Keyboard" });
  await page.goto("/servers");
  const deleteButton = page.getByRole("button", { name: "Delete Keyboard" });
  await expect(deleteButton).toBeVisible();
  await deleteButton.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  // Focus is trapped in the dialog and starts on the safe choice.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(dialog.getByLabel(/Type .* to confirm/)).toBeFocused();
  await page.keyboard.type("Keyboard");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Deleted “Keyboard”")).toBeVisible();
  await expect(dialog).toBeHidden();
  expect(await seed.serverExists(server.serverId)).toBe(false);
});

test("the server list does not shift its layout while it loads", async ({ signedIn: page, account, request }) => {
  for (const name of ["Steady A", "Steady B", "Steady C"]) await createServerByApi(request, account, { name });
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) w.__cls += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto("/servers");
  await expect(page.getByTestId("pagination-summary")).toHaveText("1–3 of 3");
  await page.waitForTimeout(500);
  const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
  // 0.1 is the "good" threshold of Core Web Vitals.
  expect(cls).toBeLessThan(0.1);
});
