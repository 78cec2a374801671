// Playwright fixtures: data is created through the test-only seeding route (Prisma in the app's own
// process: docs/decisions/0005-e2e-fixtures.md) and removed after each test; pages are signed in
// through next-auth's credentials endpoint (only auth.spec.ts goes through the sign-in form); every
// page fails its test on a console error, an uncaught exception, or a request to another origin.
import { randomBytes } from "node:crypto";
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { assertMatchesContract } from "../test/openapi-contract";

export type Account = { accountId: string; userId: string; email: string; password: string; apiKey: string };

export class Seed {
  constructor(private readonly request: APIRequestContext) {}

  private async op<T = any>(body: Record<string, unknown>): Promise<T> {
    const res = await this.request.post("/api/e2e", {
      data: body,
      headers: { "x-e2e-seed-secret": process.env.E2E_SEED_SECRET! },
    });
    if (!res.ok()) throw new Error(`seed ${String(body.op)} failed: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async createUser(label = "user"): Promise<Account> {
    const email = `${label}-${randomBytes(5).toString("hex")}@example.com`;
    const password = `pw-${randomBytes(8).toString("hex")}`;
    return { ...(await this.op({ op: "createUser", email, password })), password };
  }
  seedServers(userId: string, count: number, prefix: string) {
    return this.op<{ created: number }>({ op: "seedServers", userId, count, prefix });
  }
  async serverExists(serverId: string) {
    return (await this.op<{ exists: boolean }>({ op: "serverExists", serverId })).exists;
  }
  deleteAccount(accountId: string) {
    return this.op({ op: "deleteAccount", accountId });
  }
  deleteAccountOf(email: string) {
    return this.op({ op: "deleteAccountOf", email });
  }
}

/** Creates a server through the REST API with the account's key, as a backend would. */
export async function createServerByApi(request: APIRequestContext, account: Account, body: Record<string, unknown>) {
  const res = await request.post("/api/servers", {
    data: body,
    headers: { authorization: `Bearer ${account.apiKey}` },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { serverId: string; name: string; accessUrl: string };
}

/** Registers a connector through the REST API with the account's key (discovery runs before it answers). */
export async function createConnectorByApi(
  request: APIRequestContext,
  account: Account,
  body: Record<string, unknown>,
) {
  const res = await request.post("/api/connectors", {
    data: body,
    headers: { authorization: `Bearer ${account.apiKey}` },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { connectorId: string; name: string; actionCount: number };
}

/** The account's connectors as the REST API lists them. */
export async function listConnectorsByApi(request: APIRequestContext, account: Account) {
  const res = await request.get("/api/connectors", { headers: { authorization: `Bearer ${account.apiKey}` } });
  expect(res.status()).toBe(200);
  return (await res.json()) as { connectors: { connectorId: string; name: string }[]; count: number };
}

/**
 * Holds the page's `method` requests to `url` until the returned release() is called, so that a test can
 * see the pending state; then they go on to the server or, with "refuse", get the 500 envelope the server
 * answers when something breaks.
 */
export async function holdRequests(
  page: Page,
  url: string,
  method: string,
  outcome: "continue" | "refuse" = "continue",
) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    if (route.request().method() !== method) return route.fallback();
    await held;
    if (outcome === "continue") return route.continue();
    await route.fulfill({
      status: 500,
      contentType: "application/json",
      // As the real server answers: every answer carries a request id (the contract says so).
      headers: { "x-request-id": "e2e-refused" },
      body: JSON.stringify({ error: { code: "INTERNAL_ERROR", message: "Something went wrong on our side" } }),
    });
  });
  return release;
}

/** Signs a page's browser context in, the way the form does, without going through the form. */
export async function signIn(page: Page, account: Pick<Account, "email" | "password">) {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: account.email, password: account.password, json: "true" },
  });
  expect(res.ok()).toBe(true);
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name === "next-auth.session-token")).toBe(true);
}

type Fixtures = {
  seed: Seed;
  account: Account;
  signedIn: Page;
  /** Console errors a test expects (e.g. the 500 it provokes); anything else fails the test. */
  allowedConsoleErrors: RegExp[];
};

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  seed: async ({ request }, use) => {
    await use(new Seed(request));
  },
  account: async ({ seed }, use) => {
    const account = await seed.createUser();
    await use(account);
    await seed.deleteAccount(account.accountId);
  },
  page: async ({ page, baseURL, allowedConsoleErrors }, use) => {
    const problems: string[] = [];
    const origin = new URL(baseURL!).origin;
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (!allowedConsoleErrors.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
    page.on("request", (request) => {
      const url = request.url();
      if (/^(data|blob|about):/.test(url)) return;
      if (new URL(url).origin !== origin) problems.push(`request to another origin: ${url}`);
    });
    // Every REST answer the dashboard receives must match openapi.json, like the vitest suites' answers
    // (next-auth's own /api/auth routes are not ours to document).
    const contractChecks: Promise<void>[] = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.origin !== origin || !url.pathname.startsWith("/api/") || url.pathname.startsWith("/api/auth/")) return;
      contractChecks.push(
        (async () => {
          let text: string;
          try {
            text = await response.text();
          } catch {
            return; // the page navigated away before the body was read: nothing to check
          }
          try {
            const headers = new Headers(await response.allHeaders());
            assertMatchesContract({
              method: response.request().method(),
              url: url.toString(),
              status: response.status(),
              headers,
              text,
            });
          } catch (error) {
            problems.push((error as Error).message);
          }
        })(),
      );
    });
    await use(page);
    await Promise.all(contractChecks);
    expect(
      problems,
      "the page logged errors, fetched from another origin, or got an answer openapi.json does not describe",
    ).toEqual([]);
  },
  signedIn: async ({ page, account }, use) => {
    await signIn(page, account);
    await use(page);
  },
});

export { expect };
