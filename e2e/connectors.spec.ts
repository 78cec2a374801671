// The connectors page against real upstream MCP servers started by the test (server-everything, and the
// SDK fixture of the vitest suites whose tool list a test can change or which it can stop): add through
// the form, discovery and health, refresh, delete behind the dialog with optimistic removal and rollback.
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { startEverything, startFixture } from "../test/upstream-fixture";
import { createConnectorByApi, expect, holdRequests, listConnectorsByApi, test } from "./fixtures";

// Nothing listens on port 9 (discard): discovery fails at once with "connection refused".
const DEAD_URL = "http://127.0.0.1:9/mcp";
const tool = (name: string) => ({ name, description: `The ${name} tool`, inputSchema: { type: "object" as const } });

/** Presses Tab until `target` has the focus: proves it is reachable with the keyboard alone. */
async function tabTo(page: Page, target: Locator, limit = 40) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("the empty list explains connectors and leads to the add form", async ({ signedIn: page }) => {
  await page.goto("/servers");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connectors" }).click();
  await expect(page).toHaveURL(/\/connectors$/);
  await expect(page.getByRole("link", { name: "Connectors" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "Connectors", level: 1 })).toBeVisible();
  await expect(page.getByText("No connectors yet")).toBeVisible();
  await expect(page.getByText(/A connector is an upstream MCP server/)).toBeVisible();
  await page.getByRole("link", { name: "Add connector" }).click();
  await expect(page).toHaveURL(/\/connectors\/new$/);
  await expect(page.getByRole("heading", { name: "Add connector" })).toBeVisible();
  // The e2e server lists no stdio command (CONNECTORS_STDIO_COMMANDS): the form offers HTTP only and says why.
  await expect(page.getByTestId("stdio-disabled")).toContainText("CONNECTORS_STDIO_COMMANDS");
  await expect(page.getByLabel("Command", { exact: true })).toHaveCount(0);
});

test("add an HTTP connector through the form: its actions are discovered and it is healthy", async ({
  signedIn: page,
  account,
  request,
}) => {
  const everything = await startEverything();
  try {
    await page.goto("/connectors/new");
    await page.getByLabel("Name", { exact: true }).fill("Everything");
    await page.getByLabel("URL", { exact: true }).fill(everything.url);
    await page.getByRole("button", { name: "Add header" }).click();
    await expect(page.getByLabel("Header 1 name")).toBeFocused();
    await page.getByLabel("Header 1 name").fill("x-api-key");
    const secret = page.getByLabel("Header 1 value");
    await expect(secret).toHaveAttribute("type", "password");
    await secret.fill("upstream-secret-e2e");
    await page.getByLabel("Credential header").fill("authorization");
    await page.getByLabel("Prefix").fill("Bearer ");

    // Hold the create until the pending state has been seen.
    const release = await holdRequests(page, "**/api/connectors", "POST");
    await page.getByRole("button", { name: "Add connector" }).click();
    await expect(page.getByRole("button", { name: "Adding…" })).toBeDisabled();
    await expect(page.getByText(/Connecting to the upstream and discovering its actions/)).toBeVisible();
    release();

    await expect(page).toHaveURL(/\/connectors\/everything-[0-9a-f]{8}$/);
    const toast = page.getByText(/Added “Everything”: \d+ actions discovered/);
    await expect(toast).toBeVisible();
    const count = Number(/(\d+) actions/.exec((await toast.textContent()) ?? "")![1]);
    expect(count).toBeGreaterThan(3);
    await expect(page.getByRole("heading", { name: "Everything", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: `Actions (${count})` })).toBeVisible();
    const actions = page.getByRole("table", { name: "Actions" });
    await expect(actions.getByRole("row")).toHaveCount(count + 1);
    await expect(actions.getByRole("row", { name: /echo/ })).toBeVisible();
    await page.getByLabel("Filter actions").fill("echo");
    await expect(actions.getByRole("row")).toHaveCount(2);
    await expect(page.getByTestId("connector-health").getByText("Healthy")).toBeVisible();
    // Only the header's name comes back, never its value.
    await expect(page.getByText("x-api-key")).toBeVisible();
    await expect(page.locator("body")).not.toContainText("upstream-secret-e2e");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connectors" }).click();
    const row = page.getByRole("row", { name: /Everything/ });
    await expect(row.getByTestId("action-count")).toHaveText(`${count} actions`);
    await expect(row.getByText("Healthy")).toBeVisible();
    await expect(row.getByText(everything.url)).toBeVisible();
    // Last checked: relative, with the exact time for the tooltip.
    const checked = row.locator("time");
    await expect(checked).toContainText("just now");
    await expect(checked).toHaveAttribute("title", /\d{4}/);

    const listed = await listConnectorsByApi(request, account);
    expect(listed.connectors.map((c) => c.name)).toEqual(["Everything"]);
    expect(JSON.stringify(listed)).not.toContain("upstream-secret-e2e");
  } finally {
    everything.close();
  }
});

test.describe("validation", () => {
  // The browser logs the API's 400 that the test provokes.
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test("the API's own schema puts errors on their fields, and the API's 400 lands on the field too", async ({
    signedIn: page,
    account,
    request,
  }) => {
    await page.goto("/connectors/new");
    await page.getByLabel("Name", { exact: true }).fill(" bad name");
    await page.getByLabel("URL", { exact: true }).fill("ftp://example.com/mcp");
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("bad header");
    await page.getByLabel("Header 1 value").fill("v");
    await page.getByRole("button", { name: "Add connector" }).click();
    await expect(page.getByText("Name must not start or end with whitespace")).toBeVisible();
    await expect(page.getByText("Must be an http(s) URL")).toBeVisible();
    await expect(page.getByText("Invalid header name")).toBeVisible();
    await expect(page.getByLabel("Header 1 name")).toHaveAttribute("aria-invalid", "true");

    // What only the server refuses: a NUL character (PostgreSQL text cannot hold it), pasted into a value.
    let answered400 = false;
    page.on("response", (response) => {
      if (response.url().endsWith("/api/connectors") && response.status() === 400) answered400 = true;
    });
    await page.getByLabel("Name", { exact: true }).fill("Pasted");
    await page.getByLabel("URL", { exact: true }).fill(DEAD_URL);
    await page.getByLabel("Header 1 name").fill("x-api-key");
    await page.getByLabel("Header 1 value").evaluate((input: HTMLInputElement) => {
      // As a paste would: through the native setter, so React sees the change.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, "bad\u0000value");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await page.getByRole("button", { name: "Add connector" }).click();
    await expect(page.getByText("Must not contain NUL characters or unpaired surrogates")).toBeVisible();
    await expect(page.getByLabel("Header 1 value")).toHaveAttribute("aria-invalid", "true");
    expect(answered400).toBe(true);
    await expect(page).toHaveURL(/\/connectors\/new$/);
    expect((await listConnectorsByApi(request, account)).count).toBe(0);
  });
});

test("an unreachable upstream is added with its discovery error shown as health", async ({
  signedIn: page,
  account,
  request,
}) => {
  await page.goto("/connectors/new");
  await page.getByLabel("Name", { exact: true }).fill("Nowhere");
  await page.getByLabel("URL", { exact: true }).fill(DEAD_URL);
  await page.getByRole("button", { name: "Add connector" }).click();
  // POST /api/connectors answers 201 with the failure as health: the connector exists, without actions.
  await expect(page.getByText(/Added “Nowhere”, but its actions could not be discovered: the connector/)).toBeVisible();
  await expect(page).toHaveURL(/\/connectors\/nowhere-[0-9a-f]{8}$/);
  const health = page.getByTestId("connector-health");
  await expect(health.getByText("Error")).toBeVisible();
  await expect(health).toContainText("the connector failed");
  await expect(page.getByText("No actions: the upstream could not be asked for its tools")).toBeVisible();

  await page.getByRole("link", { name: "Connectors", exact: true }).first().click();
  const row = page.getByRole("row", { name: /Nowhere/ });
  await expect(row.getByText("Error")).toBeVisible();
  await expect(row.getByTestId("action-count")).toHaveText("0 actions");
  await expect(row).toContainText("the connector failed");
  expect((await listConnectorsByApi(request, account)).count).toBe(1);
});

test("refresh shows the upstream's new tools, then its failure, keeping the cached actions", async ({
  signedIn: page,
  account,
  request,
}) => {
  let tools = [tool("alpha"), tool("beta")];
  const upstream = await startFixture({ tools: () => tools });
  try {
    await createConnectorByApi(request, account, { name: "Changing", url: upstream.url });
    await page.goto("/connectors");
    const row = page.getByRole("row", { name: /Changing/ });
    await expect(row.getByTestId("action-count")).toHaveText("2 actions");
    await expect(row.getByText("Healthy")).toBeVisible();

    tools = [tool("alpha"), tool("beta"), tool("gamma")];
    const release = await holdRequests(page, "**/api/connectors/*/refresh", "POST");
    const refresh = row.getByRole("button", { name: "Refresh Changing" });
    await refresh.click();
    await expect(refresh).toBeDisabled();
    await expect(refresh).toHaveAttribute("aria-busy", "true");
    await expect(page.getByRole("status").filter({ hasText: "Refreshing “Changing”…" })).toBeVisible();
    release();
    await expect(
      page.getByRole("status").filter({ hasText: "“Changing” refreshed: healthy, 3 actions." }),
    ).toBeVisible();
    await expect(row.getByTestId("action-count")).toHaveText("3 actions");
    await expect(refresh).toBeEnabled();
    await page.unroute("**/api/connectors/*/refresh");

    await upstream.close();
    await refresh.click();
    await expect(page.getByRole("status").filter({ hasText: /“Changing” refreshed: discovery failed/ })).toBeVisible();
    await expect(row.getByText("Error")).toBeVisible();
    // A fixed message, never the upstream's own text (SECURITY.md): the closed port refuses the connection.
    await expect(row).toContainText("the connector could not be reached");
    // A failing upstream keeps the last good cache.
    await expect(row.getByTestId("action-count")).toHaveText("3 actions");

    await row.getByRole("link", { name: "Changing" }).click();
    await expect(page.getByTestId("connector-health").getByText("Error")).toBeVisible();
    await expect(page.getByRole("table", { name: "Actions" }).getByRole("row", { name: /gamma/ })).toBeVisible();
    await expect(page.getByText("You have no credential for this connector.")).toBeVisible();
  } finally {
    await upstream.close();
  }
});

test("delete through the dialog: it stays open while the delete runs, then the connector is gone", async ({
  signedIn: page,
  account,
  request,
}) => {
  const doomed = await createConnectorByApi(request, account, { name: "Doomed", url: DEAD_URL });
  await createConnectorByApi(request, account, { name: "Keeper", url: DEAD_URL });
  const credential = await request.post(`/api/connectors/${doomed.connectorId}/credentials`, {
    data: { value: "doomed-secret" },
    headers: { authorization: `Bearer ${account.apiKey}` },
  });
  expect(credential.status()).toBe(201);
  await page.goto("/connectors");
  const row = page.getByRole("row", { name: /Doomed/ });
  const deleteButton = row.getByRole("button", { name: "Delete Doomed" });

  // Cancel keeps the row, and focus goes back to the button.
  await deleteButton.click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Delete connector “Doomed”?");
  await expect(dialog).toContainText("Every end user’s credentials for this connector are deleted too");
  await expect(dialog).toContainText("Every server stops offering its tools at once");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(deleteButton).toBeFocused();

  const release = await holdRequests(page, `**/api/connectors/${doomed.connectorId}`, "DELETE");
  await deleteButton.click();
  await dialog.getByRole("button", { name: "Delete connector" }).click();
  await expect(dialog.getByRole("button", { name: "Deleting…" })).toBeDisabled();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeVisible();
  await expect(row).toHaveCount(0);
  release();
  await expect(page.getByText("Deleted “Doomed”")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Keeper/ })).toBeVisible();

  const listed = await listConnectorsByApi(request, account);
  expect(listed.connectors.map((c) => c.name)).toEqual(["Keeper"]);
  const gone = await request.get(`/api/connectors/${doomed.connectorId}/credentials`, {
    headers: { authorization: `Bearer ${account.apiKey}` },
  });
  expect(gone.status()).toBe(404);
  await page.reload();
  await expect(page.getByRole("row", { name: /Keeper/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /Doomed/ })).toHaveCount(0);
});

test.describe("a delete the server refuses", () => {
  test.use({ allowedConsoleErrors: [/status of 500/] });

  test("the row leaves at once, then comes back with an error toast and the focus", async ({
    signedIn: page,
    account,
    request,
  }) => {
    const stubborn = await createConnectorByApi(request, account, { name: "Stubborn", url: DEAD_URL });
    await page.goto("/connectors");
    const row = page.getByRole("row", { name: /Stubborn/ });
    await expect(row).toBeVisible();

    const release = await holdRequests(page, `**/api/connectors/${stubborn.connectorId}`, "DELETE", "refuse");

    await row.getByRole("button", { name: "Delete Stubborn" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByRole("button", { name: "Delete connector" }).click();
    await expect(dialog.getByRole("button", { name: "Deleting…" })).toBeDisabled();
    await expect(row).toHaveCount(0);
    release();
    await expect(page.getByText(/Could not delete “Stubborn”: Something went wrong/)).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(row).toBeVisible();
    await expect(row.getByRole("button", { name: "Delete Stubborn" })).toBeFocused();
    expect((await listConnectorsByApi(request, account)).count).toBe(1);
  });
});

test("add a connector with the keyboard only", async ({ signedIn: page }) => {
  const upstream = await startFixture({ tools: () => [tool("kbd_one")] });
  try {
    await page.goto("/servers");
    const nav = page.getByRole("navigation", { name: "Main" });
    await tabTo(page, nav.getByRole("link", { name: "Connectors" }));
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/connectors$/);
    await tabTo(page, page.getByRole("link", { name: "Add connector" }));
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/connectors\/new$/);

    await tabTo(page, page.getByLabel("Name", { exact: true }));
    await page.keyboard.type("Keyboard");
    await tabTo(page, page.getByLabel("URL", { exact: true }));
    await page.keyboard.type(upstream.url);
    await tabTo(page, page.getByRole("button", { name: "Add header" }));
    await page.keyboard.press("Enter");
    await expect(page.getByLabel("Header 1 name")).toBeFocused();
    await page.keyboard.type("x-team");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Header 1 value")).toBeFocused();
    await page.keyboard.type("kbd-secret");
    // A second row, removed again: the focus stays in the list.
    await tabTo(page, page.getByRole("button", { name: "Add header" }));
    await page.keyboard.press("Enter");
    await expect(page.getByLabel("Header 2 name")).toBeFocused();
    await tabTo(page, page.getByRole("button", { name: "Remove header 2" }));
    await page.keyboard.press("Enter");
    await expect(page.getByLabel("Header 2 name")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Add header" })).toBeFocused();
    await tabTo(page, page.getByRole("button", { name: "Add connector" }));
    await page.keyboard.press("Enter");

    await expect(page.getByRole("heading", { name: "Keyboard", level: 1 })).toBeVisible();
    await expect(page.getByText("Added “Keyboard”: 1 action discovered")).toBeVisible();
    await expect(page.getByRole("table", { name: "Actions" }).getByRole("row", { name: /kbd_one/ })).toBeVisible();
    await expect(page.getByText("x-team")).toBeVisible();
    await expect(page.getByText("You have no credential for this connector.")).toBeVisible();
  } finally {
    await upstream.close();
  }
});

test("the signed-in user's own credentials for a connector: saved, listed without their value, deleted", async ({
  signedIn: page,
  account,
  request,
}) => {
  const connector = await createConnectorByApi(request, account, {
    name: "With Credentials",
    url: DEAD_URL,
    credentialHeader: "authorization",
    credentialPrefix: "Bearer ",
  });
  await page.goto(`/connectors/${connector.connectorId}`);
  const panel = page.getByRole("region", { name: "Your credentials" });
  await expect(panel).toContainText("You have no credential for this connector.");
  await expect(panel).toContainText("authorization");
  await panel.getByRole("button", { name: "Save credential" }).click();
  await expect(panel.getByText("Enter the secret")).toBeVisible();
  await panel.getByLabel("Label (optional)").fill("Work token");
  await expect(panel.getByLabel("Secret")).toHaveAttribute("type", "password");
  await panel.getByLabel("Secret").fill("my-own-upstream-token");
  await panel.getByRole("button", { name: "Save credential" }).click();
  await expect(page.getByText("Saved credential “Work token”")).toBeVisible();
  const table = panel.getByRole("table", { name: "Your credentials" });
  await expect(table.getByRole("row", { name: /Work token/ })).toBeVisible();
  await expect(panel.getByLabel("Secret")).toHaveValue("");
  await expect(page.locator("body")).not.toContainText("my-own-upstream-token");

  await table.getByRole("button", { name: "Delete credential Work token" }).click();
  await expect(page.getByText("Deleted credential “Work token”")).toBeVisible();
  await expect(panel).toContainText("You have no credential for this connector.");
});

test("delete from the connector's own page lands on the list", async ({ signedIn: page, account, request }) => {
  const connector = await createConnectorByApi(request, account, { name: "Detail Doomed", url: DEAD_URL });
  await page.goto(`/connectors/${connector.connectorId}`);
  await expect(page.getByRole("heading", { name: "Detail Doomed", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete connector" }).click();
  await expect(page).toHaveURL(/\/connectors$/);
  await expect(page.getByText("Deleted “Detail Doomed”")).toBeVisible();
  await expect(page.getByText("No connectors yet")).toBeVisible();
  expect((await listConnectorsByApi(request, account)).count).toBe(0);
});

test.describe("a connector that does not exist", () => {
  // The browser logs the API's 404 for it.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("its page says so and leads back to the list", async ({ signedIn: page }) => {
    await page.goto("/connectors/gone-0123abcd");
    await expect(page.getByText("This connector does not exist (or was deleted).")).toBeVisible();
    await expect(page.getByRole("button", { name: "Retry" })).toHaveCount(0);
    await page.getByRole("link", { name: "Back to connectors" }).click();
    await expect(page).toHaveURL(/\/connectors$/);
    // Loaded before the test ends: the account goes first in the teardown, and a request still in
    // flight would then log a 401.
    await expect(page.getByText("No connectors yet")).toBeVisible();
  });
});

test.describe("stdio connectors, on the server whose operator lists a command", () => {
  // playwright.config.ts starts that second server with CONNECTORS_STDIO_COMMANDS naming "memory"
  // (server-memory, its file in E2E_MEMORY_FILE).
  test.use({ baseURL: process.env.E2E_STDIO_BASE_URL });

  test("add one through the form by the command's name; neither its command line nor its environment comes back", async ({
    signedIn: page,
    account,
    request,
  }) => {
    const serverMemory = path.resolve("node_modules/@modelcontextprotocol/server-memory/dist/index.js");
    const memoryFile = process.env.E2E_MEMORY_FILE!;
    try {
      await page.goto("/connectors/new");
      await expect(page.getByTestId("stdio-disabled")).toHaveCount(0);
      await page.getByLabel("Name", { exact: true }).fill("Memory");
      await page.getByLabel(/^stdio/).check();
      await expect(page.getByLabel("URL", { exact: true })).toHaveCount(0);
      // No command line can be typed: only a name of the operator's list can be chosen.
      await expect(page.getByRole("button", { name: "Add argument" })).toHaveCount(0);
      await page.getByRole("button", { name: "Add connector" }).click();
      await expect(page.getByLabel("Command", { exact: true })).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByText("Must be the name of a command of the operator's list")).toBeVisible();

      await page.getByLabel("Command", { exact: true }).selectOption("memory");
      await page.getByRole("button", { name: "Add connector" }).click();

      await expect(page).toHaveURL(/\/connectors\/memory-[0-9a-f]{8}$/);
      await expect(page.getByText(/Added “Memory”: \d+ actions discovered/)).toBeVisible();
      const actions = page.getByRole("table", { name: "Actions" });
      await expect(actions.getByText("create_entities", { exact: true })).toBeVisible();
      await expect(page.locator("body")).not.toContainText(memoryFile);
      await expect(page.locator("body")).not.toContainText(serverMemory);

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connectors" }).click();
      const row = page.getByRole("row", { name: /Memory/ });
      await expect(row.getByText("stdio", { exact: true })).toBeVisible();
      await expect(row.getByText("Healthy")).toBeVisible();
      const listed = await listConnectorsByApi(request, account);
      expect(listed.connectors.map((c) => c.name)).toEqual(["Memory"]);
      expect(JSON.stringify(listed)).not.toContain(memoryFile);
      expect(JSON.stringify(listed)).not.toContain(serverMemory);
    } finally {
      fs.rmSync(memoryFile, { force: true });
    }
  });
});
