// The authorization matrix of docs/api.md section 2 (and the 401/403/404 rules of sections 1 and 4) over the
// /api/servers routes, through the real route handlers and database: every credential that must fail,
// fails the same way on every route and changes nothing; every credential that must work, works on
// every route and acts as the right end user. The credentials and assertions are shared with the other
// matrix files (test/authorization.ts, test/authorization/*.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey, mintJwt } from "@/server/services/jwt-keys";
import { createServer } from "@/server/services/servers";
import { browser, createTenant } from "@/test/factories";
import { bearer, call } from "@/test/route-client";
import { expectError } from "@/test/assertions";
import {
  describeCommonRefusals,
  expectSameRefusal,
  IMPERSONATED,
  routeRows,
  sendRoute,
  snapshot,
  unique,
  useCredentials,
  WORKING,
  type Headers,
  type RestRoute,
} from "@/test/authorization";

// ---- the routes -------------------------------------------------------------------------------------

type Server = { serverId: string; name: string };
/** `onServer`: the route acts on one server (the id in the path). */
type Route = RestRoute<Server> & { onServer: boolean };

const ROUTES: Route[] = [
  {
    label: "POST /api/servers",
    method: "POST",
    url: () => "/api/servers",
    body: () => ({ name: `Made ${unique()}` }),
    onServer: false,
    ok: 201,
  },
  { label: "GET /api/servers", method: "GET", url: () => "/api/servers", onServer: false, ok: 200 },
  { label: "GET /api/servers/{id}", method: "GET", url: (s) => `/api/servers/${s.serverId}`, onServer: true, ok: 200 },
  {
    label: "PUT /api/servers/{id}",
    method: "PUT",
    url: (s) => `/api/servers/${s.serverId}`,
    body: () => ({ description: "changed by the caller" }),
    onServer: true,
    ok: 200,
  },
  {
    label: "DELETE /api/servers/{id}",
    method: "DELETE",
    url: (s) => `/api/servers/${s.serverId}`,
    onServer: true,
    ok: 200,
  },
  {
    label: "DELETE /api/servers/{id}?dryRun=true",
    method: "DELETE",
    url: (s) => `/api/servers/${s.serverId}?dryRun=true`,
    onServer: true,
    ok: 200,
  },
  {
    label: "POST /api/servers/{id}/token",
    method: "POST",
    url: (s) => `/api/servers/${s.serverId}/token`,
    onServer: true,
    ok: 200,
  },
  {
    label: "DELETE /api/servers/{id}/token",
    method: "DELETE",
    url: (s) => `/api/servers/${s.serverId}/token`,
    onServer: true,
    ok: 200,
  },
];
const SERVER_ROUTES = ROUTES.filter((route) => route.onServer);

// ---- fixtures -----------------------------------------------------------------------------------------

const c = useCredentials();
/** Servers of account A's owner and of two other end users of account A. */
let aliceServer: Server;
const COWORKER = "coworker-7";
let coworkerServer: Server;
/** A server of the very user that the forbidden x-alloy-userid names: only the override rule refuses it. */
let impersonatedServer: Server;
/** A server of account B: it must be invisible to account A. */
let bobServer: Server;
let missingLikeBob: string;

/** Creates a server owned by `userId` of `accountId` directly through the service. */
async function serverOf(accountId: string, userId: string, name = `Fixture ${unique()}`): Promise<Server> {
  const server = await createServer({ accountId, userId, actor: { type: "api_key", id: "fixture" } }, { name });
  return { serverId: server.serverId, name: server.name };
}

beforeAll(async () => {
  const created = await call("POST", "/api/servers", {
    headers: bearer(c.alice.key),
    body: { name: "Alice Private Ledger" },
  });
  expect(created.status).toBe(201);
  aliceServer = { serverId: created.body.serverId, name: created.body.name };
  coworkerServer = await serverOf(c.alice.accountId, COWORKER, "Coworker Salary Sheet");
  impersonatedServer = await serverOf(c.alice.accountId, IMPERSONATED, "Someone Else Private Notes");
  bobServer = await serverOf(c.bob.accountId, c.bob.userId, "Bob Confidential Roadmap");
  // Same format as Bob's id (same slug, other 8 hex digits), but no such server anywhere.
  missingLikeBob = bobServer.serverId.replace(/[0-9a-f]{8}$/, (hex) => (hex === "0badc0de" ? "0badf00d" : "0badc0de"));
});

// ---- the rows every route shares: 401, 403 for x-alloy-userid, the CSRF rule, 400 for a long user id --------

const refused = describeCommonRefusals({
  routes: ROUTES,
  target: () => aliceServer,
  secrets: (server) => [server.serverId, server.name],
  impersonatedTarget: () => impersonatedServer,
  mayNameAnyUser: (userId) => bearer(c.overrideKey, { "x-alloy-userid": userId }),
});

describe("401 UNAUTHORIZED before validation", () => {
  it("authenticates before it validates: no credentials and a malformed body or id is still 401", async () => {
    const before = await snapshot();
    for (const res of [
      await call("POST", "/api/servers", { rawBody: "{not json", headers: { "content-type": "application/json" } }),
      await call("PUT", `/api/servers/${aliceServer.serverId}`, { body: { name: 42 } }),
      await call("GET", "/api/servers/NOT%20A%20VALID%20ID"),
      await call("DELETE", `/api/servers/${aliceServer.serverId}?dryRun=maybe`),
      await call("GET", "/api/servers?limit=0"),
    ]) {
      expectError(res, 401, "UNAUTHORIZED");
    }
    expect(await snapshot()).toEqual(before);
  });
});

// ---- 403: the same account, another end user's server ----------------------------------------------------

describe("403 FORBIDDEN on another end user's server", () => {
  const sameAccount: { credential: string; headers: () => Headers }[] = [
    { credential: "the account's API key", headers: () => bearer(c.alice.key) },
    { credential: "a JWT of the account", headers: () => bearer(c.aliceJwt) },
    {
      credential: "the override key acting as a third user",
      headers: () => bearer(c.overrideKey, { "x-alloy-userid": "third" }),
    },
    { credential: "the owner's session cookie", headers: () => browser(c.aliceCookie) },
  ];
  it.each(routeRows(sameAccount, SERVER_ROUTES))("%s", async (_, { route, headers }) => {
    await refused(route, headers(), { status: 403, code: "FORBIDDEN" }, coworkerServer);
  });
});

// ---- 404: another account's server is indistinguishable from a missing one ------------------------------

describe("404 NOT_FOUND across accounts", () => {
  const callers: { credential: string; headers: () => Headers }[] = [
    { credential: "an API key of another account", headers: () => bearer(c.alice.key) },
    { credential: "a JWT of another account", headers: () => bearer(c.aliceJwt) },
    {
      credential: "another account's override key acting as the owner's user id",
      headers: () => bearer(c.overrideKey, { "x-alloy-userid": c.bob.userId }),
    },
    { credential: "a session cookie of another account", headers: () => browser(c.aliceCookie) },
  ];

  it.each(routeRows(callers, SERVER_ROUTES))("%s", async (_, { route, headers }) => {
    expect(await db().mcpServer.findUnique({ where: { id: missingLikeBob } })).toBeNull();
    const notFound = { status: 404, code: "NOT_FOUND", message: "Server not found" };
    const theirs = await refused(route, headers(), notFound, bobServer);
    const missing = await refused(route, headers(), notFound, { serverId: missingLikeBob, name: bobServer.name });
    expect(theirs.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
    expectSameRefusal(theirs, missing);
    // Bob's server is still there, untouched.
    expect(await db().mcpServer.findUnique({ where: { id: bobServer.serverId } })).not.toBeNull();
  });
});

// ---- credentials that must work -------------------------------------------------------------------------

describe("working credentials", () => {
  it.each(routeRows(WORKING, ROUTES))("%s", async (_, { route, user, actor, headers }) => {
    const userId = user();
    const target = route.onServer ? await serverOf(c.alice.accountId, userId) : aliceServer;
    const auditIds = async () => (await db().auditEvent.findMany({ select: { id: true } })).map((e) => e.id);
    const auditBefore = new Set(await auditIds());
    const res = await sendRoute(route, target, await headers());
    expect(res.status, res.text).toBe(route.ok);
    expect(res.headers.get("content-type")).toContain("application/json");

    const row = (id: string) => db().mcpServer.findUnique({ where: { id } });
    switch (route.label) {
      case "POST /api/servers": {
        const created = await row(res.body.serverId);
        expect(created).toMatchObject({ accountId: c.alice.accountId, ownerUserId: userId, name: res.body.name });
        break;
      }
      case "GET /api/servers": {
        const owned = await db().mcpServer.findMany({
          where: { accountId: c.alice.accountId, ownerUserId: userId },
          select: { id: true },
        });
        expect(res.body.count).toBe(owned.length);
        const listed = (await call("GET", "/api/servers?limit=1000", { headers: await headers() })).body.servers;
        expect(listed.map((s: Server) => s.serverId).sort()).toEqual(owned.map((s) => s.id).sort());
        break;
      }
      case "GET /api/servers/{id}":
        expect(res.body).toMatchObject(target);
        break;
      case "PUT /api/servers/{id}":
        expect(await row(target.serverId)).toMatchObject({ description: "changed by the caller" });
        break;
      case "DELETE /api/servers/{id}":
        expect(res.body).toEqual({ message: "Server deleted", serverId: target.serverId });
        expect(await row(target.serverId)).toBeNull();
        break;
      case "DELETE /api/servers/{id}?dryRun=true":
        expect(res.body).toMatchObject({ dryRun: true, serverId: target.serverId, name: target.name });
        expect(await row(target.serverId)).not.toBeNull();
        break;
      case "POST /api/servers/{id}/token":
        expect(res.body).toMatchObject({ serverId: target.serverId, accessToken: expect.stringMatching(/^sbt_/) });
        break;
      case "DELETE /api/servers/{id}/token":
        expect(res.body).toMatchObject({ serverId: target.serverId, tokenHint: null, liveTokens: [] });
        expect(await db().serverAccessToken.count({ where: { serverId: target.serverId, revokedAt: null } })).toBe(0);
        break;
    }

    // Mutations are audited under the credential that made them; reads and previews are not.
    const newIds = (await auditIds()).filter((id) => !auditBefore.has(id));
    const newEvents = await db().auditEvent.findMany({ where: { id: { in: newIds } } });
    const mutates = route.method !== "GET" && !route.label.includes("dryRun");
    expect(newEvents).toHaveLength(mutates ? 1 : 0);
    if (mutates) {
      expect(newEvents[0]).toMatchObject({ accountId: c.alice.accountId, actorType: actor });
      if (actor !== "api_key") expect(newEvents[0]!.actorId).toBe(userId);
    }
  });
});

// ---- acting as another user ------------------------------------------------------------------------------

describe("x-alloy-userid with an override-capable key", () => {
  it("acts as that user: servers it creates are that user's, and each user lists only their own", async () => {
    const tenant = await createTenant({ canActAsAnyUser: true });
    const asCarol = bearer(tenant.key, { "x-alloy-userid": "carol" });
    const asDave = bearer(tenant.key, { "x-alloy-userid": "dave" });
    const asDefault = bearer(tenant.key);

    const carols = [];
    for (const name of ["Carol One", "Carol Two"]) {
      const res = await call("POST", "/api/servers", { headers: asCarol, body: { name } });
      expect(res.status).toBe(201);
      carols.push(res.body.serverId as string);
    }
    const daves = await call("POST", "/api/servers", { headers: asDave, body: { name: "Carol One" } });
    expect(daves.status).toBe(201); // names are unique per owner, not per account
    const own = await call("POST", "/api/servers", { headers: asDefault, body: { name: "Default One" } });
    expect(own.status).toBe(201);

    const rows = await db().mcpServer.findMany({ where: { accountId: tenant.accountId } });
    const ownerOf = Object.fromEntries(rows.map((r) => [r.id, r.ownerUserId]));
    expect(ownerOf).toEqual({
      [carols[0]!]: "carol",
      [carols[1]!]: "carol",
      [daves.body.serverId]: "dave",
      [own.body.serverId]: tenant.userId,
    });

    const list = async (headers: Headers) => {
      const res = await call("GET", "/api/servers", { headers });
      expect(res.status).toBe(200);
      return { count: res.body.count, ids: res.body.servers.map((s: Server) => s.serverId).sort() };
    };
    expect(await list(asCarol)).toEqual({ count: 2, ids: [...carols].sort() });
    expect(await list(asDave)).toEqual({ count: 1, ids: [daves.body.serverId] });
    expect(await list(asDefault)).toEqual({ count: 1, ids: [own.body.serverId] });

    // Carol's server is another end user's server for Dave and for the key's default user.
    expectError(await call("GET", `/api/servers/${carols[0]}`, { headers: asDave }), 403, "FORBIDDEN");
    expectError(await call("DELETE", `/api/servers/${carols[0]}`, { headers: asDefault }), 403, "FORBIDDEN");
    expect(await call("GET", `/api/servers/${carols[0]}`, { headers: asCarol })).toMatchObject({ status: 200 });
  });
});

// ---- lastUsedAt -------------------------------------------------------------------------------------------

describe("API key lastUsedAt", () => {
  it("is set by a successful call", async () => {
    const key = await createApiKey(c.alice.accountId, { defaultUserId: c.alice.userId });
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeNull();
    const before = Date.now();
    const res = await call("GET", "/api/servers", { headers: bearer(key.key) });
    expect(res.status).toBe(200);
    const { lastUsedAt } = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(lastUsedAt).toBeInstanceOf(Date);
    expect(lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(lastUsedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("is set when the key acts as another user too", async () => {
    const key = await createApiKey(c.alice.accountId, { defaultUserId: c.alice.userId, canActAsAnyUser: true });
    const res = await call("POST", "/api/servers", {
      headers: bearer(key.key, { "x-alloy-userid": "someone" }),
      body: { name: "Used Key Server" },
    });
    expect(res.status).toBe(201);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("several signing keys", () => {
  it("accepts a JWT of any active signing key of the account and acts as its user", async () => {
    const { kid } = await createJwtSigningKey(c.alice.accountId);
    const { token } = await mintJwt(kid, "second-key-user", 600);
    const res = await call("POST", "/api/servers", { headers: bearer(token), body: { name: "Second Key" } });
    expect(res.status).toBe(201);
    expect(await db().mcpServer.findUnique({ where: { id: res.body.serverId } })).toMatchObject({
      accountId: c.alice.accountId,
      ownerUserId: "second-key-user",
    });
  });
});
