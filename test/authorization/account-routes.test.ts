// The authorization matrix over the dashboard's account routes (API keys, JWT signing keys, members, the
// audit log): they answer a signed-in dashboard user only. A bad credential is 401 as everywhere; a valid
// API key or JWT is 403 (server/api-route.ts, auth "session"); a change needs the app's own origin (the
// CSRF rule); and a session of another account neither sees nor touches this account's keys, members or
// audit events (its lists hold its own, a revoke of this account's key is 404 like a missing key's).
// Sign-up takes no credential at all.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { addMember } from "@/server/services/accounts";
import { createApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey } from "@/server/services/jwt-keys";
import {
  describeCommonRefusals,
  expectNoLeak,
  expectSameRefusal,
  isMutation,
  routeRows,
  titled,
  unique,
  useCredentials,
  WORKING_API,
  WORKING_SESSION,
  sendRoute,
  type Headers,
  type RestRoute,
} from "@/test/authorization";
import { browser } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

// ---- the routes -------------------------------------------------------------------------------------

/** The ids a route may act on: an API key's id, a signing key's kid and a member's user id. */
type Target = { keyId: string; kid: string; memberId: string };

type Route = RestRoute<Target>;

const ROUTES: Route[] = [
  { label: "GET /api/api-keys", method: "GET", url: () => "/api/api-keys", ok: 200 },
  {
    label: "POST /api/api-keys",
    method: "POST",
    url: () => "/api/api-keys",
    body: () => ({ name: `Made ${unique()}`, canActAsAnyUser: true }),
    ok: 201,
  },
  { label: "DELETE /api/api-keys/{id}", method: "DELETE", url: (t) => `/api/api-keys/${t.keyId}`, ok: 200 },
  { label: "GET /api/jwt-keys", method: "GET", url: () => "/api/jwt-keys", ok: 200 },
  { label: "POST /api/jwt-keys", method: "POST", url: () => "/api/jwt-keys", ok: 201 },
  { label: "DELETE /api/jwt-keys/{kid}", method: "DELETE", url: (t) => `/api/jwt-keys/${t.kid}`, ok: 200 },
  { label: "GET /api/members", method: "GET", url: () => "/api/members", ok: 200 },
  {
    label: "POST /api/members",
    method: "POST",
    url: () => "/api/members",
    body: () => ({ email: `made-${unique()}@example.com`, password: "a long member password" }),
    ok: 201,
  },
  { label: "DELETE /api/members/{id}", method: "DELETE", url: (t) => `/api/members/${t.memberId}`, ok: 200 },
  { label: "GET /api/audit", method: "GET", url: () => "/api/audit", ok: 200 },
];
const READ_ROUTES = ROUTES.filter((route) => !isMutation(route.method));

// ---- fixtures -----------------------------------------------------------------------------------------

const c = useCredentials();

/** One account's key and signing key that the routes may revoke, and a server in its audit log. */
type Holdings = Target & { keyName: string; serverId: string; serverName: string };
let alices: Holdings;
let bobs: Holdings;

async function holdingsOf(tenant: { accountId: string; userId: string; key: string }, label: string) {
  const keyName = `${label} Deploy Key`;
  const key = await createApiKey(tenant.accountId, { name: keyName, defaultUserId: tenant.userId });
  const { kid } = await createJwtSigningKey(tenant.accountId);
  const member = await memberOf(tenant.accountId);
  const serverName = `${label} Audit Trail`;
  const server = await call("POST", "/api/servers", { headers: bearer(tenant.key), body: { name: serverName } });
  expect(server.status).toBe(201);
  return { keyId: key.id, kid, memberId: member.id, keyName, serverId: server.body.serverId as string, serverName };
}

const memberOf = (accountId: string) =>
  addMember(accountId, "OWNER", { email: `held-${unique()}@example.com`, password: "a long member password" });

beforeAll(async () => {
  alices = await holdingsOf(c.alice, "Alice");
  bobs = await holdingsOf(c.bob, "Bob");
});

/** Everything of account A that another account's answers must not show. */
const alicesSecrets = () => [
  alices.keyId,
  alices.kid,
  alices.keyName,
  alices.serverId,
  alices.serverName,
  c.alice.keyId,
  c.alice.email,
  c.member.email,
];
const bobsSecrets = () => [
  bobs.keyId,
  bobs.kid,
  bobs.keyName,
  bobs.serverId,
  bobs.serverName,
  c.bob.keyId,
  c.bob.email,
];

// ---- the rows every route shares: 401, 403 for x-alloy-userid, the CSRF rule, 400 for a long user id --------

const refused = describeCommonRefusals({
  routes: ROUTES,
  target: (): Target => alices,
  secrets: alicesSecrets,
  // A session cannot name another user at all, but the length is checked first: 400.
  mayNameAnyUser: (userId) => ({ ...browser(c.aliceCookie), "x-alloy-userid": userId }),
});

// ---- 403: not a dashboard session, or not the owner ----------------------------------------------------

describe("403 FORBIDDEN", () => {
  // Valid API credentials of the very account: the account routes are the dashboard's alone.
  it.each(routeRows(WORKING_API, ROUTES))("%s", async (_, { route, headers }) => {
    await refused(route, await headers(), {
      status: 403,
      code: "FORBIDDEN",
      message: "This operation is only available to a signed-in dashboard user",
    });
  });

  // Credentials that can act as any end user of the account are the owner's: a member holding one could
  // act as the owner (found by this matrix: members could mint override keys and revoke the owner's).
  it.each(
    titled(
      [
        {
          label: "POST /api/api-keys",
          message: "Only the account owner can create a key that acts as any user",
        },
        { label: "DELETE /api/api-keys/{id}", message: "Only the account owner can revoke another user's API key" },
        { label: "POST /api/jwt-keys", message: "Only the account owner can manage JWT signing keys" },
        { label: "DELETE /api/jwt-keys/{kid}", message: "Only the account owner can manage JWT signing keys" },
        { label: "DELETE /api/members/{id}", message: "Only the account owner can remove members" },
      ],
      (row) => `${row.label} with a member's session (the owner's key, an override key, signing keys)`,
    ),
  )("%s", async (_, { label, message }) => {
    const route = ROUTES.find((r) => r.label === label)!;
    await refused(route, browser(c.memberCookie), { status: 403, code: "FORBIDDEN", message });
  });

  it("a member still creates and revokes plain keys of their own, which act as the member", async () => {
    const made = await call("POST", "/api/api-keys", {
      headers: browser(c.memberCookie),
      body: { name: "member's own key" },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ defaultUserId: c.member.id, canActAsAnyUser: false });
    const revoked = await call("DELETE", `/api/api-keys/${made.body.id}`, { headers: browser(c.memberCookie) });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
  });

  it("POST /api/members with a member's session (only the owner adds members)", async () => {
    const route = ROUTES.find((r) => r.label === "POST /api/members")!;
    await refused(route, browser(c.memberCookie), {
      status: 403,
      code: "FORBIDDEN",
      message: "Only the account owner can add members",
    });
  });
});

// ---- another account's session ------------------------------------------------------------------------

describe("a session of another account", () => {
  const bobSession = () => browser(c.bobCookie);

  it.each(
    titled(
      [
        { route: ROUTES.find((r) => r.label === "DELETE /api/api-keys/{id}")!, message: /^API key not found/ },
        { route: ROUTES.find((r) => r.label === "DELETE /api/jwt-keys/{kid}")!, message: /^Signing key not found/ },
        { route: ROUTES.find((r) => r.label === "DELETE /api/members/{id}")!, message: /^Member not found/ },
      ],
      (row) => `${row.route.label} of this account is 404 NOT_FOUND, byte for byte like a missing id`,
    ),
  )("%s", async (_, { route, message }) => {
    const missing: Target = {
      keyId: `key_${randomBytes(16).toString("hex")}`,
      kid: `kid_${randomBytes(12).toString("hex")}`,
      memberId: `usr_${randomBytes(16).toString("hex")}`,
    };
    const theirs = await refused(route, bobSession(), { status: 404, code: "NOT_FOUND", message });
    const none = await refused(route, bobSession(), { status: 404, code: "NOT_FOUND", message }, missing);
    expectSameRefusal(theirs, none);
    expect(await db().apiKey.findUniqueOrThrow({ where: { id: alices.keyId } })).toMatchObject({ revokedAt: null });
    expect(await db().user.count({ where: { id: alices.memberId } })).toBe(1);
    expect(await db().jwtSigningKey.findUniqueOrThrow({ where: { kid: alices.kid } })).toMatchObject({
      revokedAt: null,
    });
  });

  const own: Record<string, () => string> = {
    "GET /api/api-keys": () => bobs.keyId,
    "GET /api/jwt-keys": () => bobs.kid,
    "GET /api/members": () => c.bob.email,
    "GET /api/audit": () => bobs.serverId,
  };
  it.each(titled(READ_ROUTES, (route) => `${route.label} lists only the other account's own`))(
    "%s",
    async (_, route) => {
      const res = await sendRoute(route, alices, bobSession());
      expect(res.status, res.text).toBe(200);
      expect(res.text).toContain(own[route.label]!());
      expectNoLeak(res, alicesSecrets());
    },
  );

  it("GET /api/audit?serverId= naming this account's server finds nothing", async () => {
    for (const query of [`serverId=${alices.serverId}`, `q=${encodeURIComponent(alices.serverName)}`]) {
      const res = await call("GET", `/api/audit?${query}`, { headers: bobSession() });
      expect(res.body).toMatchObject({ events: [], count: 0 });
    }
  });
});

// ---- the owner's session works ---------------------------------------------------------------------------

describe("working credentials", () => {
  it.each(routeRows(WORKING_SESSION, ROUTES))("%s", async (_, { route, headers }) => {
    const account = { accountId: c.alice.accountId };
    const target: Target =
      route.method === "DELETE"
        ? {
            keyId: (await createApiKey(c.alice.accountId, { defaultUserId: c.alice.userId })).id,
            kid: (await createJwtSigningKey(c.alice.accountId)).kid,
            memberId: (await memberOf(c.alice.accountId)).id,
          }
        : alices;
    const res = await sendRoute(route, target, await headers());
    expect(res.status, res.text).toBe(route.ok);
    expectNoLeak(res, bobsSecrets());

    const sorted = (values: string[]) => [...values].sort();
    switch (route.label) {
      case "GET /api/api-keys": {
        const rows = await db().apiKey.findMany({ where: account, select: { id: true } });
        expect(sorted(res.body.apiKeys.map((k: { id: string }) => k.id))).toEqual(sorted(rows.map((r) => r.id)));
        break;
      }
      case "POST /api/api-keys":
        // A key made in the dashboard acts as the user who made it.
        expect(await db().apiKey.findUnique({ where: { id: res.body.id } })).toMatchObject({
          ...account,
          defaultUserId: c.alice.userId,
          canActAsAnyUser: true,
        });
        break;
      case "DELETE /api/api-keys/{id}":
        expect(res.body).toMatchObject({ id: target.keyId, revokedAt: expect.any(String) });
        break;
      case "GET /api/jwt-keys": {
        const rows = await db().jwtSigningKey.findMany({ where: account, select: { kid: true } });
        expect(sorted(res.body.jwtKeys.map((k: Target) => k.kid))).toEqual(sorted(rows.map((r) => r.kid)));
        break;
      }
      case "POST /api/jwt-keys":
        expect(await db().jwtSigningKey.findUnique({ where: { kid: res.body.kid } })).toMatchObject(account);
        break;
      case "DELETE /api/jwt-keys/{kid}":
        expect(res.body).toEqual({ kid: target.kid, revoked: true });
        break;
      case "GET /api/members": {
        const rows = await db().user.findMany({ where: account, select: { email: true } });
        const emails = res.body.members.map((m: { email: string }) => m.email);
        expect(sorted(emails)).toEqual(sorted(rows.map((r) => r.email)));
        break;
      }
      case "POST /api/members":
        expect(await db().user.findUnique({ where: { id: res.body.id } })).toMatchObject({
          ...account,
          role: "MEMBER",
        });
        break;
      case "DELETE /api/members/{id}":
        expect(res.body).toEqual({ message: "Member removed", id: target.memberId });
        expect(await db().user.count({ where: { id: target.memberId } })).toBe(0);
        break;
      case "GET /api/audit":
        expect(res.body.count).toBe(await db().auditEvent.count({ where: account }));
        expect(res.body.events.map((e: { serverId: string }) => e.serverId)).toContain(alices.serverId);
        break;
    }
  });
});

// ---- sign-up: no credential at all --------------------------------------------------------------------

describe("POST /api/signup", () => {
  it.each(
    titled(
      [
        { credential: "no credential", headers: (): Headers => ({}) },
        { credential: "an invalid API key (ignored)", headers: (): Headers => bearer("sbk_wrong") },
        { credential: "another account's session cookie (ignored)", headers: (): Headers => browser(c.aliceCookie) },
      ],
      (row) => `with ${row.credential}: a new account of its own, budgeted per client IP`,
    ),
  )("%s", async (_, { headers }) => {
    const email = `signup-${unique()}@example.com`;
    const res = await call("POST", "/api/signup", {
      headers: { ...headers(), "x-forwarded-for": "203.0.113.7" },
      body: { email, password: "a long sign-up password" },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get("RateLimit-Limit")).not.toBeNull();
    expect(res.body.accountId).not.toBe(c.alice.accountId);
    expectNoLeak(res, alicesSecrets());
    expect(await db().user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      accountId: res.body.accountId,
      role: "OWNER",
    });
  });
});
