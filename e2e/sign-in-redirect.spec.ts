// Issue #12 finding 9: ?callbackUrl= on the sign-in page sent the browser to another origin. Each payload
// of the penetration test, signed in through the real form in Chromium: the browser stays on the app.
import { expect, test } from "./fixtures";

const PAYLOADS = ["/%5Cevil.example/", "/%09/evil.example/", "//evil.example", "https://evil.example"];

test.describe("sign-in callbackUrl", () => {
  for (const payload of PAYLOADS) {
    test(`stays on the app for callbackUrl=${payload}`, async ({ page, account, baseURL }) => {
      const app = new URL(baseURL!).origin;
      // Were the browser sent away, this would answer instead of the network (and the fixture reports it).
      await page.route(
        (url) => url.hostname.endsWith("evil.example"),
        (route) => route.fulfill({ status: 200, body: "evil" }),
      );
      await page.goto(`/sign-in?callbackUrl=${payload}`);
      await page.getByLabel("Email").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(`${app}/servers`);
      await expect(page.getByRole("heading", { name: "Servers" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(app);
    });
  }

  test("a same-origin path is where the browser goes", async ({ page, account, baseURL }) => {
    await page.goto("/sign-in?callbackUrl=/settings");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${new URL(baseURL!).origin}/settings`);
    // End on a loaded page: the teardown deletes the account, and a request still in flight would get 401.
    await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
    await page.waitForLoadState("networkidle");
  });
});
