// 10,000 servers in one account: the list pages, searches and sorts on the server and stays fast.
import { expect, test } from "./fixtures";

test("pagination, search and sort over 10,000 seeded servers", async ({ signedIn: page, account, seed }) => {
  test.setTimeout(120_000);
  await seed.seedServers(account.userId, 10_000, "Fleet");

  // The server's answer is what must stay fast: timed from the request to the end of its answer, so that
  // the other Playwright worker's load on the browser and the CPU does not count against the list.
  const listAnswer = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/api/servers" && response.request().method() === "GET",
  );
  await page.goto("/servers");
  const answer = await listAnswer;
  await answer.finished();
  const timing = answer.request().timing();
  expect(timing.responseEnd - timing.requestStart, "GET /api/servers, first page of 10,000").toBeLessThan(2_000);
  const summary = page.getByTestId("pagination-summary");
  await expect(summary).toHaveText("1–20 of 10,000");
  const rows = page.getByRole("table", { name: "Servers" }).locator("tbody tr");
  await expect(rows).toHaveCount(20);
  // Newest first: the last seeded comes first.
  await expect(rows.first()).toContainText("Fleet 10000");

  await page.getByRole("button", { name: "Next" }).click();
  await expect(summary).toHaveText("21–40 of 10,000");
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).toContainText("Fleet 09980");
  await expect(page.getByText("Page 2 of 500")).toBeVisible();

  // The page survives a reload (it lives in the URL).
  await page.reload();
  await expect(summary).toHaveText("21–40 of 10,000");

  await page.getByRole("button", { name: "Previous" }).click();
  await expect(summary).toHaveText("1–20 of 10,000");

  await page.getByRole("searchbox", { name: "Search servers by name" }).fill("Fleet 0999");
  await expect(summary).toHaveText("1–10 of 10");
  await expect(rows.first()).toContainText("Fleet 09999");

  await page.getByRole("searchbox", { name: "Search servers by name" }).fill("no such server");
  await expect(page.getByText("No servers match “no such server”.")).toBeVisible();
  await page.getByRole("button", { name: "Clear the search" }).click();
  await expect(summary).toHaveText("1–20 of 10,000");

  await page.getByRole("button", { name: /Created/ }).click();
  await expect(page).toHaveURL(/order=oldest/);
  await expect(rows.first()).toContainText("Fleet 00001");
});
