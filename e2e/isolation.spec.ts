// One user never sees, opens or deletes another user's servers.
import { expect, test, createServerByApi } from "./fixtures";

test.use({ allowedConsoleErrors: [/status of 404/] });

test("user A never sees or deletes user B's servers", async ({ signedIn: page, account, seed, request }) => {
  const other = await seed.createUser("other");
  try {
    const mine = await createServerByApi(request, account, { name: "Mine" });
    const theirs = await createServerByApi(request, other, { name: "Theirs" });

    await page.goto("/servers");
    await expect(page.getByRole("row", { name: /Mine/ })).toBeVisible();
    await expect(page.getByTestId("pagination-summary")).toHaveText("1–1 of 1");
    await expect(page.getByText("Theirs")).toHaveCount(0);

    await page.getByRole("searchbox", { name: "Search servers by name" }).fill("Theirs");
    await expect(page.getByText("No servers match “Theirs”.")).toBeVisible();

    await page.goto(`/servers/${theirs.serverId}`);
    await expect(page.getByText("This server does not exist (or was deleted).")).toBeVisible();

    // Same-origin, cookie-authenticated: still a 404, exactly like a missing server.
    const res = await page.request.delete(`/api/servers/${theirs.serverId}`, {
      headers: { origin: new URL(page.url()).origin },
    });
    expect(res.status()).toBe(404);
    expect(await seed.serverExists(theirs.serverId)).toBe(true);
    expect(await seed.serverExists(mine.serverId)).toBe(true);
  } finally {
    await seed.deleteAccount(other.accountId);
  }
});
