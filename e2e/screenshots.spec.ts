// Screenshots of the main pages in light and dark mode, saved to e2e/screenshots/ (git-ignored) for review.
import { startFixture } from "../test/upstream-fixture";
import { expect, test, createConnectorByApi, createServerByApi } from "./fixtures";

for (const scheme of ["light", "dark"] as const) {
  test(`main pages in ${scheme} mode`, async ({ signedIn: page, account, request }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const shot = (name: string) => page.screenshot({ path: `e2e/screenshots/${name}-${scheme}.png`, fullPage: true });
    const server = await createServerByApi(request, account, {
      name: "Support Bot",
      description: "Tools for the support bot",
      restrictions: { connectors: { mode: "allowlist", allowedIds: ["slack", "github"] } },
    });
    for (const name of ["Billing Agent", "Docs Search", "Sales Copilot"])
      await createServerByApi(request, account, { name });

    await page.goto("/servers");
    await expect(page.getByTestId("pagination-summary")).toHaveText("1–4 of 4");
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await shot("servers");
    // Narrow screens keep the essentials: name, id, created, delete.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot("servers-mobile");
    await page.setViewportSize({ width: 1280, height: 800 });

    await page
      .getByRole("row", { name: /Support Bot/ })
      .getByRole("button", { name: "Delete Support Bot" })
      .click();
    await expect(page.getByTestId("delete-impact")).toContainText("It will also remove");
    await shot("delete-dialog");
    await page.keyboard.press("Escape");

    await page.goto(`/servers/${server.serverId}`);
    await expect(page.getByRole("heading", { name: "Support Bot" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Server history" }).getByText("Created")).toBeVisible();
    await shot("server-detail");

    await page.goto("/servers/new");
    await shot("server-new");

    const upstream = await startFixture({
      tools: () =>
        ["create_issue", "list_issues", "add_comment"].map((name) => ({
          name,
          description: `${name.replace("_", " ")} in a repository`,
          inputSchema: { type: "object" as const, properties: { repo: { type: "string" } } },
        })),
    });
    try {
      const github = await createConnectorByApi(request, account, {
        name: "GitHub",
        url: upstream.url,
        headers: { "x-org": "acme" },
        credentialHeader: "authorization",
        credentialPrefix: "Bearer ",
      });
      await createConnectorByApi(request, account, { name: "Legacy CRM", url: "http://127.0.0.1:9/mcp" });
      await page.goto("/connectors");
      await expect(page.getByRole("row", { name: /Legacy CRM/ })).toContainText("the connector failed");
      await shot("connectors");
      await page.setViewportSize({ width: 390, height: 844 });
      await shot("connectors-mobile");
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole("button", { name: "Delete GitHub" }).click();
      await expect(page.getByRole("alertdialog")).toContainText("Delete connector “GitHub”?");
      await shot("connector-delete-dialog");
      await page.keyboard.press("Escape");

      await page.goto(`/connectors/${github.connectorId}`);
      await expect(
        page.getByRole("table", { name: "Actions" }).getByText("create_issue", { exact: true }),
      ).toBeVisible();
      await expect(page.getByText("You have no credential for this connector.")).toBeVisible();
      await shot("connector-detail");
    } finally {
      await upstream.close();
    }

    await page.goto("/connectors/new");
    await page.getByRole("button", { name: "Add header" }).click();
    await shot("connector-new");

    await page.goto("/settings");
    await expect(page.getByRole("table", { name: "Members" })).toBeVisible();
    await shot("settings");

    await page.goto("/audit");
    await expect(page.getByRole("table", { name: "Audit log" }).getByText("Support Bot")).toBeVisible();
    await shot("audit");

    await page.context().clearCookies();
    await page.goto("/sign-in");
    await shot("sign-in");
  });
}
