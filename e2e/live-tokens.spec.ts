// Issue #12 finding 8 in the dashboard: the server page lists the live tokens (the current one and one in
// a grace period) and "Revoke all", behind a confirm dialog, ends every one of them.
import { createServerByApi, expect, test } from "./fixtures";

test("the server page lists the live tokens and revokes them all", async ({ signedIn: page, account, request }) => {
  const auth = { authorization: `Bearer ${account.apiKey}` };
  const server = await createServerByApi(request, account, { name: "Token Desk" });
  const rotated = await request.post(`/api/servers/${server.serverId}/token`, {
    data: { graceSeconds: 3600 },
    headers: auth,
  });
  expect(rotated.status()).toBe(200);
  const current = (await rotated.json()) as { accessToken: string; accessUrl: string };

  await page.goto(`/servers/${server.serverId}`);
  const list = page.getByRole("list", { name: "Live tokens" });
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await expect(list.getByRole("listitem").first()).toContainText(`…${current.accessToken.slice(-4)}`);
  await expect(list.getByRole("listitem").first()).toContainText("current");
  await expect(list.getByRole("listitem").nth(1)).toContainText("grace period until");

  // Cancel changes nothing; confirming revokes both.
  await page.getByRole("button", { name: "Revoke all" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("2 live tokens stop working at once");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await page.getByRole("button", { name: "Revoke all" }).click();
  await page.getByRole("button", { name: "Revoke all tokens" }).click();
  await expect(page.getByText("No token works: rotate to mint a new access URL.")).toBeVisible();

  const ping = await request.post(current.accessUrl, {
    data: { jsonrpc: "2.0", id: 1, method: "ping" },
    headers: { accept: "application/json, text/event-stream" },
  });
  expect(ping.status()).toBe(401);
  const got = await request.get(`/api/servers/${server.serverId}`, { headers: auth });
  expect(((await got.json()) as { liveTokens: unknown[] }).liveTokens).toEqual([]);
});
