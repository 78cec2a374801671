// Keyboard-only use of the confirm-to-delete flow, and no layout shift while the server and connector lists load.
import type { Page } from "@playwright/test";
import { expect, test, createConnectorByApi, createServerByApi } from "./fixtures";

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

/** Starts counting layout shifts (Core Web Vitals' CLS) before the page's first paint. */
async function watchLayoutShift(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) w.__cls += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  return async () => {
    await page.waitForTimeout(500);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    // 0.1 is the "good" threshold of Core Web Vitals.
    expect(cls).toBeLessThan(0.1);
  };
}

test("the server list does not shift its layout while it loads", async ({ signedIn: page, account, request }) => {
  for (const name of ["Steady A", "Steady B", "Steady C"]) await createServerByApi(request, account, { name });
  const expectSteady = await watchLayoutShift(page);
  await page.goto("/servers");
  await expect(page.getByTestId("pagination-summary")).toHaveText("1–3 of 3");
  await expectSteady();
});

test("the connector list does not shift its layout while it loads", async ({ signedIn: page, account, request }) => {
  for (const name of ["Steady A", "Steady B", "Steady C"]) {
    await createConnectorByApi(request, account, { name, url: "http://127.0.0.1:9/mcp" });
  }
  const expectSteady = await watchLayoutShift(page);
  await page.goto("/connectors");
  await expect(page.getByRole("row", { name: /Steady C/ })).toBeVisible();
  await expectSteady();
});
