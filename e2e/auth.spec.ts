// Sign-up, sign-out and sign-in through the real forms; protected pages send signed-out visitors to sign in.
import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

test.describe("accounts", () => {
  // A wrong password answers 401 from next-auth's callback: the browser logs that response.
  test.use({ allowedConsoleErrors: [/status of 401/] });

  test("sign up, land on the empty server list, sign out, sign in again", async ({ page, seed }) => {
    const email = `signup-${randomBytes(4).toString("hex")}@example.com`;
    const password = "a long e2e password";
    try {
      await page.goto("/servers");
      await expect(page).toHaveURL(/\/sign-in/);
      await page.getByRole("link", { name: "Create one" }).click();
      await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();

      // The shared zod schema speaks first, field by field.
      await page.getByLabel("Email").fill("not-an-email");
      await page.getByLabel("Password").fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByText("Must be an email address")).toBeVisible();
      await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();

      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page).toHaveURL(/\/servers$/);
      await expect(page.getByText("No servers yet")).toBeVisible();
      await expect(page.getByRole("link", { name: "Create your first server" })).toBeVisible();
      await expect(page.getByTestId("current-user")).toHaveText(email);

      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/sign-in/);
      await page.goto("/settings");
      await expect(page).toHaveURL(/\/sign-in/);

      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("the wrong password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();

      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/servers$/);
      await expect(page.getByRole("heading", { name: "Servers" })).toBeVisible();
    } finally {
      await seed.deleteAccountOf(email);
    }
  });
});

test("the REST API refuses a cookie-authenticated delete from another origin", async ({
  signedIn,
  account,
  request,
}) => {
  const created = await request.post("/api/servers", {
    data: { name: "CSRF probe" },
    headers: { authorization: `Bearer ${account.apiKey}` },
  });
  const { serverId } = await created.json();
  const res = await signedIn.request.delete(`/api/servers/${serverId}`, {
    headers: { origin: "https://evil.example" },
  });
  expect(res.status()).toBe(403);
  expect((await signedIn.request.get(`/api/servers/${serverId}`)).status()).toBe(200);
});
