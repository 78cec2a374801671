// Settings: API keys shown once and revocable, JWT signing keys, members; the audit log's filters.
import { expect, test, createServerByApi } from "./fixtures";

test("create an API key (shown once), use it, revoke it; JWT keys; add a member", async ({
  signedIn: page,
  request,
}) => {
  await page.goto("/settings");
  await page.getByLabel("Name", { exact: true }).fill("CI pipeline");
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByText("Copy the new API key now: you will not see it again.")).toBeVisible();
  const key = await page.getByLabel("New API key").inputValue();
  expect(key).toMatch(/^sbk_/);
  const keys = page.getByRole("table", { name: "API keys" });
  const row = keys.getByRole("row", { name: /CI pipeline/ });
  await expect(row).toContainText(`${key.slice(0, 8)}…${key.slice(-4)}`);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByLabel("New API key")).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);

  const auth = { authorization: `Bearer ${key}` };
  expect((await request.get("/api/servers", { headers: auth })).status()).toBe(200);
  await row.getByRole("button", { name: "Revoke CI pipeline" }).click();
  await expect(row.getByText("Revoked")).toBeVisible();
  expect((await request.get("/api/servers", { headers: auth })).status()).toBe(401);

  await page.getByRole("button", { name: "New signing key" }).click();
  const jwtKeys = page.getByRole("table", { name: "JWT signing keys" });
  await expect(jwtKeys.getByText(/^kid_[0-9a-f]{24}$/)).toBeVisible();
  await jwtKeys.getByRole("button", { name: /Revoke kid_/ }).click();
  await expect(jwtKeys.getByText("Revoked")).toBeVisible();

  const memberEmail = `member-${Date.now()}@example.com`;
  await page.getByLabel("Email").fill(memberEmail);
  await page.getByLabel("Initial password").fill("a long member password");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(
    page.getByRole("table", { name: "Members" }).getByRole("row", { name: new RegExp(memberEmail) }),
  ).toContainText("Member");
});

test("the audit log filters by action and keeps deleted servers", async ({ signedIn: page, account, request }) => {
  const server = await createServerByApi(request, account, { name: "Short lived" });
  await createServerByApi(request, account, { name: "Long lived" });
  const res = await request.delete(`/api/servers/${server.serverId}`, {
    headers: { authorization: `Bearer ${account.apiKey}` },
  });
  expect(res.status()).toBe(200);

  await page.goto("/audit");
  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log.locator("tbody tr")).toHaveCount(3);
  await page.getByLabel("Filter by action").selectOption("server.deleted");
  await expect(log.locator("tbody tr")).toHaveCount(1);
  await expect(log.locator("tbody tr")).toContainText("Short lived");
  await page.getByLabel("Filter by action").selectOption("");
  await page.getByLabel("Filter by server name or id").fill("long");
  await expect(log.locator("tbody tr")).toHaveCount(1);
  await expect(log.locator("tbody tr")).toContainText("Long lived");
});
