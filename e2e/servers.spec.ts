// The server list and its life cycle: create → token shown once → edit → confirm-to-delete.
import { expect, test, createServerByApi, holdRequests } from "./fixtures";

test("create a server, see its access URL once, edit it, then delete it behind the confirm dialog", async ({
  signedIn: page,
  seed,
}) => {
  await page.goto("/servers");
  await page.getByRole("link", { name: "Create your first server" }).click();
  await expect(page).toHaveURL(/\/servers\/new$/);

  // Field-level errors from the API's own schema.
  await page.getByLabel("Name", { exact: true }).fill(" bad name");
  await page.getByLabel("Token expires after (days)").fill("400");
  await page.getByRole("button", { name: "Create server" }).click();
  await expect(page.getByText("Name must not start or end with whitespace")).toBeVisible();
  await expect(page.getByText("Must be at most 365 days")).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill("Support Bot");
  await page.getByLabel("Description").fill("Tools for the support bot");
  await page.getByLabel("Token expires after (days)").fill("30");
  await page.getByLabel("Restrict connectors").check();
  await page.getByLabel(/Allowed connector ids/).fill("slack\ngithub");
  await page.getByRole("button", { name: "Create server" }).click();

  await expect(page.getByText("you will not see this again")).toBeVisible();
  const accessUrl = await page.getByLabel("Access URL", { exact: true }).inputValue();
  expect(accessUrl).toMatch(/\/mcp\/support-bot-[0-9a-f]{8}\/sbt_/);
  await expect(page.getByRole("button", { name: "Copy access URL" })).toBeVisible();
  await page.getByRole("link", { name: "Go to server" }).click();
  await expect(page.getByRole("heading", { name: "Support Bot" })).toBeVisible();
  const serverId = /\/servers\/([^/?]+)/.exec(page.url())![1]!;
  // The token is not shown again: only its last four characters.
  await expect(page.getByText(accessUrl)).toHaveCount(0);
  // In the live-tokens list, as the hint alone.
  await expect(page.getByText(`…${accessUrl.slice(-4)}`, { exact: true })).toBeVisible();
  await expect(page.getByText("slack, github")).toBeVisible();

  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Support Bot v2");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: "Support Bot v2" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Server history" }).getByText("Updated")).toBeVisible();

  await page.getByRole("link", { name: "Servers", exact: true }).first().click();
  const row = page.getByRole("row", { name: /Support Bot v2/ });
  await expect(row).toBeVisible();
  const deleteButton = row.getByRole("button", { name: "Delete Support Bot v2" });

  // Cancel keeps the row, and focus goes back to the row's button.
  await deleteButton.click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Delete server “Support Bot v2”?");
  await expect(dialog.getByTestId("delete-impact")).toContainText("It will also remove 1 token");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();
  await expect(row).toBeVisible();

  // Escape closes it too.
  await deleteButton.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();

  // A wrong name keeps the button disabled; the right one deletes.
  await deleteButton.click();
  const confirm = dialog.getByRole("button", { name: "Delete server" });
  await dialog.getByLabel(/Type .* to confirm/).fill("Support Bot");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill("Support Bot v2");
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Deleted “Support Bot v2”")).toBeVisible();
  await expect(row).toHaveCount(0);

  await page.reload();
  await expect(page.getByText("No servers yet")).toBeVisible();
  expect(await seed.serverExists(serverId)).toBe(false);

  // The audit log keeps the deleted server's history.
  await page.getByRole("link", { name: "Audit log" }).click();
  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log.getByRole("row").filter({ hasText: "Deleted" }).filter({ hasText: "Support Bot v2" })).toBeVisible();
});

test.describe("a delete the server refuses", () => {
  test.use({ allowedConsoleErrors: [/status of 500/] });

  test("the row disappears at once, then comes back with an error toast", async ({
    signedIn: page,
    account,
    request,
    seed,
  }) => {
    const server = await createServerByApi(request, account, { name: "Stubborn" });
    await page.goto("/servers");
    const row = page.getByRole("row", { name: /Stubborn/ });
    await expect(row).toBeVisible();

    const release = await holdRequests(page, `**/api/servers/${server.serverId}`, "DELETE", "refuse");

    await row.getByRole("button", { name: "Delete Stubborn" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByLabel(/Type .* to confirm/).fill("Stubborn");
    await dialog.getByRole("button", { name: "Delete server" }).click();
    // While the request runs: the dialog stays, with its spinner, and the row is already gone.
    await expect(dialog.getByRole("button", { name: "Deleting…" })).toBeDisabled();
    await expect(row).toHaveCount(0);
    release();
    await expect(page.getByText(/Could not delete “Stubborn”: Something went wrong/)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(row).toBeVisible();
    expect(await seed.serverExists(server.serverId)).toBe(true);
  });
});

test("bulk delete lists every selected name and reports per server", async ({
  signedIn: page,
  account,
  request,
  seed,
}) => {
  const names = ["Bulk A", "Bulk B", "Bulk C"];
  const servers = [];
  for (const name of names) servers.push(await createServerByApi(request, account, { name }));
  await createServerByApi(request, account, { name: "Keeper" });
  await page.goto("/servers");
  for (const name of names) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  await page.getByRole("button", { name: "Delete selected" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Delete 3 servers?");
  await expect(dialog.getByTestId("bulk-delete-names").getByRole("listitem")).toHaveText(names);
  await expect(dialog.getByTestId("delete-impact")).toContainText("3 tokens");
  const confirm = dialog.getByRole("button", { name: "Delete 3 servers" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill("delete 3 servers");
  await confirm.click();
  const results = dialog.getByRole("list", { name: "Results per server" });
  await expect(results.getByRole("listitem")).toHaveCount(3);
  for (const name of names) await expect(results).toContainText(`${name} — deleted`);
  await dialog.getByRole("button", { name: "Close" }).click();
  for (const name of names) await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Keeper/ })).toBeVisible();
  for (const s of servers) expect(await seed.serverExists(s.serverId)).toBe(false);
});

test("delete from the server's own page, then land on the list", async ({ signedIn: page, account, request, seed }) => {
  const server = await createServerByApi(request, account, { name: "Detail Doomed" });
  await page.goto(`/servers/${server.serverId}`);
  await expect(page.getByRole("heading", { name: "Detail Doomed" })).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByLabel(/Type .* to confirm/).fill("Detail Doomed");
  await dialog.getByLabel(/Type .* to confirm/).press("Enter");
  await expect(page).toHaveURL(/\/servers$/);
  await expect(page.getByText("Deleted “Detail Doomed”")).toBeVisible();
  await expect(page.getByText("No servers yet")).toBeVisible();
  expect(await seed.serverExists(server.serverId)).toBe(false);
});
