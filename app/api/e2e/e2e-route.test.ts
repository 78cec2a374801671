// The test-only seeding route does not exist for anyone unless E2E_SEED_SECRET is configured, and then
// only for callers that send it (docs/decisions/0005-e2e-fixtures.md).
import { afterEach, expect, it } from "vitest";
import { db } from "@/server/db";
import { POST } from "@/app/api/e2e/route";

const SECRET = "e2e-secret-for-this-test-0123456789abcdef";

const seed = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await POST(
    new Request("http://switchboard.test/api/e2e", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, body: await response.json() };
};

const createUser = { op: "createUser", email: "seeded@example.com", password: "a long password" };

afterEach(() => {
  delete process.env.E2E_SEED_SECRET;
});

it("answers 404 NOT_FOUND when E2E_SEED_SECRET is not set, even to a caller that sends one", async () => {
  const res = await seed(createUser, { "x-e2e-seed-secret": SECRET });
  expect(res).toEqual({ status: 404, body: { error: { code: "NOT_FOUND", message: "Not found" } } });
  expect(await db().user.count({ where: { email: "seeded@example.com" } })).toBe(0);
});

it("answers 404 to a wrong or missing secret when it is set, and seeds with the right one", async () => {
  process.env.E2E_SEED_SECRET = SECRET;
  expect((await seed(createUser)).status).toBe(404);
  expect((await seed(createUser, { "x-e2e-seed-secret": `${SECRET}x` })).status).toBe(404);
  expect(await db().user.count({ where: { email: "seeded@example.com" } })).toBe(0);
  const created = await seed(createUser, { "x-e2e-seed-secret": SECRET });
  expect(created.status).toBe(201);
  expect(created.body.apiKey).toMatch(/^sbk_/);
  const seeded = await seed(
    { op: "seedServers", userId: created.body.userId, count: 25, prefix: "Seeded" },
    { "x-e2e-seed-secret": SECRET },
  );
  expect(seeded.body).toEqual({ created: 25 });
  expect(await db().mcpServer.count({ where: { accountId: created.body.accountId } })).toBe(25);
  await seed({ op: "deleteAccount", accountId: created.body.accountId }, { "x-e2e-seed-secret": SECRET });
  expect(await db().account.count({ where: { id: created.body.accountId } })).toBe(0);
});

it("refuses a secret shorter than 32 characters as if it were unset", async () => {
  process.env.E2E_SEED_SECRET = "short";
  expect((await seed(createUser, { "x-e2e-seed-secret": "short" })).status).toBe(404);
});
