// The authentication matrix of API.md section 2 (and the 401/403/404 rules of sections 1 and 4) over
// every REST route, through the real route handlers and database: every credential that must fail,
// fails the same way on every route and changes nothing; every credential that must work, works on
// every route and acts as the right end user.
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { decryptSecret } from "@/server/secrets";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey, mintJwt, revokeJwtSigningKey } from "@/server/services/jwt-keys";
import { createServer } from "@/server/services/servers";
import { createJwt, createTenant } from "@/test/factories";
import { bearer, call, type ApiResponse } from "@/test/route-client";
import { expectError } from "@/test/assertions";

type Headers = Record<string, string>;

// ---- the routes -------------------------------------------------------------------------------------

type Route = {
  label: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: (serverId: string) => string;
  body?: () => unknown;
  /** Whether the route acts on one server (the id in the path). */
  onServer: boolean;
  ok: number;
};

const unique = () => randomBytes(4).toString("hex");

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
  { label: "GET /api/servers/{id}", method: "GET", url: (id) => `/api/servers/${id}`, onServer: true, ok: 200 },
  {
    label: "PUT /api/servers/{id}",
    method: "PUT",
    url: (id) => `/api/servers/${id}`,
    body: () => ({ description: "changed by the caller" }),
    onServer: true,
    ok: 200,
  },
  { label: "DELETE /api/servers/{id}", method: "DELETE", url: (id) => `/api/servers/${id}`, onServer: true, ok: 200 },
  {
    label: "DELETE /api/servers/{id}?dryRun=true",
    method: "DELETE",
    url: (id) => `/api/servers/${id}?dryRun=true`,
    onServer: true,
    ok: 200,
  },
  {
    label: "POST /api/servers/{id}/token",
    method: "POST",
    url: (id) => `/api/servers/${id}/token`,
    onServer: true,
    ok: 200,
  },
];
const SERVER_ROUTES = ROUTES.filter((route) => route.onServer);

/** it.each rows `[title, case]`: "%s" prints the whole title, where "$field" would truncate it. */
const titled = <T>(cases: T[], title: (c: T) => string) => cases.map((c) => [title(c), c] as [string, T]);

const send = (route: Route, serverId: string, headers: Headers) =>
  call(route.method, route.url(serverId), { headers, body: route.body?.() });

// ---- fixtures -----------------------------------------------------------------------------------------

type Tenant = Awaited<ReturnType<typeof createTenant>>;
type Server = { serverId: string; name: string };

/** Account A: a plain key, a JWT signing key, an override-capable key, and servers of two end users. */
let alice: Tenant;
let aliceServer: Server;
let aliceKid: string;
let aliceSecret: string;
let aliceJwt: string;
let overrideKey: string;
const COWORKER = "coworker-7";
let coworkerServer: Server;
/** A server of the very user that the forbidden x-alloy-userid names: only the override rule refuses it. */
const IMPERSONATED = "someone-else";
let impersonatedServer: Server;
/** Account B, whose key may act as any user: its servers must be invisible to account A. */
let bob: Tenant;
let bobServer: Server;
let missingLikeBob: string;
/** Credentials that were valid and were then revoked or expired. */
let revokedKey: string;
let revokedKidJwt: string;
let expiredJwt: string;

const secretOf = async (kid: string) =>
  decryptSecret((await db().jwtSigningKey.findUniqueOrThrow({ where: { kid } })).secretEncrypted);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

/** Signs a token the way an account's backend might, for the cases mintJwt would not produce. */
async function signJwt(options: {
  claims?: Record<string, unknown>;
  kid?: string;
  secret?: string;
  alg?: string;
  exp?: number | null;
}) {
  const jwt = new SignJWT(options.claims ?? { userId: alice.userId })
    .setProtectedHeader({ alg: options.alg ?? "HS256", kid: options.kid ?? aliceKid })
    .setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? inSeconds(600));
  return jwt.sign(Buffer.from(options.secret ?? aliceSecret, "utf8"));
}

/** Creates a server owned by `userId` of `accountId` directly through the service. */
async function serverOf(accountId: string, userId: string, name = `Fixture ${unique()}`): Promise<Server> {
  const server = await createServer({ accountId, userId, actor: { type: "api_key", id: "fixture" } }, { name });
  return { serverId: server.serverId, name: server.name };
}

beforeAll(async () => {
  alice = await createTenant();
  bob = await createTenant({ canActAsAnyUser: true });

  const created = await call("POST", "/api/servers", {
    headers: bearer(alice.key),
    body: { name: "Alice Private Ledger" },
  });
  expect(created.status).toBe(201);
  aliceServer = { serverId: created.body.serverId, name: created.body.name };
  coworkerServer = await serverOf(alice.accountId, COWORKER, "Coworker Salary Sheet");
  impersonatedServer = await serverOf(alice.accountId, IMPERSONATED, "Someone Else Private Notes");
  bobServer = await serverOf(bob.accountId, bob.userId, "Bob Confidential Roadmap");
  // Same format as Bob's id (same slug, other 8 hex digits), but no such server anywhere.
  missingLikeBob = bobServer.serverId.replace(/[0-9a-f]{8}$/, (hex) => (hex === "0badc0de" ? "0badf00d" : "0badc0de"));

  ({ kid: aliceKid, token: aliceJwt } = await createJwt(alice.accountId, alice.userId));
  aliceSecret = await secretOf(aliceKid);
  overrideKey = (await createApiKey(alice.accountId, { defaultUserId: alice.userId, canActAsAnyUser: true })).key;

  // Credentials that worked, then were revoked.
  const doomedKey = await createApiKey(alice.accountId, { defaultUserId: alice.userId });
  expect((await call("GET", "/api/servers", { headers: bearer(doomedKey.key) })).status).toBe(200);
  await revokeApiKey(alice.accountId, doomedKey.id);
  revokedKey = doomedKey.key;

  const doomedJwt = await createJwt(alice.accountId, alice.userId);
  expect((await call("GET", "/api/servers", { headers: bearer(doomedJwt.token) })).status).toBe(200);
  await revokeJwtSigningKey(alice.accountId, doomedJwt.kid);
  revokedKidJwt = doomedJwt.token;

  // Expired two minutes ago: well past the 30 s clock tolerance.
  expiredJwt = (await mintJwt(aliceKid, alice.userId, -120)).token;
});

// ---- assertions ---------------------------------------------------------------------------------------

/** The body of a refusal says nothing about the server it refused, nor echoes the credential. */
function expectNoLeak(res: ApiResponse, server: Server, headers: Headers = {}) {
  expect(res.text).not.toContain(server.serverId);
  expect(res.text).not.toContain(server.name);
  for (const value of Object.values(headers)) {
    const secret = value.replace(/^Bearer\s+/i, "");
    if (secret.length >= 8) expect(res.text).not.toContain(secret);
  }
}

/** Every server-related row, to prove that a refused request changed nothing. */
async function snapshot() {
  const byId = { orderBy: { id: "asc" } } as const;
  return {
    servers: await db().mcpServer.findMany(byId),
    tokens: await db().serverAccessToken.findMany(byId),
    restrictions: await db().serverRestriction.findMany(byId),
    values: await db().serverRestrictionValue.findMany(byId),
    audit: await db().auditEvent.findMany(byId),
  };
}

/** Sends the request and checks that it was refused with `status`/`code` and left the database as it was. */
async function expectRefused(
  route: Route,
  server: Server,
  headers: Headers,
  status: number,
  code: string,
): Promise<ApiResponse> {
  const before = await snapshot();
  const res = await send(route, server.serverId, headers);
  expectError(res, status, code);
  expectNoLeak(res, server, headers);
  expect(await snapshot()).toEqual(before);
  return res;
}

// ---- 401: credentials that must not work --------------------------------------------------------------

type FailingCredential = { credential: string; headers: () => Headers | Promise<Headers>; message?: RegExp };

const FAILING: FailingCredential[] = [
  { credential: "no credentials at all", headers: () => ({}) },
  {
    credential: 'an API key without "Bearer "',
    headers: () => ({ authorization: alice.key }),
    message: /Bearer/,
  },
  { credential: 'a JWT without "Bearer "', headers: () => ({ authorization: aliceJwt }), message: /Bearer/ },
  { credential: "a Basic scheme", headers: () => ({ authorization: `Basic ${b64("a:b")}` }), message: /Bearer/ },
  { credential: '"Bearer" with no token', headers: () => ({ authorization: "Bearer" }), message: /Bearer/ },
  { credential: "an empty Authorization header", headers: () => ({ authorization: "" }), message: /Bearer/ },
  { credential: "an unknown API key", headers: () => bearer(`sbk_${randomBytes(32).toString("base64url")}`) },
  { credential: "a revoked API key", headers: () => bearer(revokedKey), message: /revoked/i },
  { credential: "a JWT that expired 120 s ago", headers: () => bearer(expiredJwt), message: /expired/i },
  {
    credential: "an expired JWT in x-alloy-user-token",
    headers: () => ({ "x-alloy-user-token": expiredJwt }),
    message: /expired/i,
  },
  {
    credential: "a JWT naming an unknown kid",
    headers: async () => bearer(await signJwt({ kid: `kid_${randomBytes(12).toString("hex")}` })),
  },
  {
    credential: "a JWT signed with the wrong secret",
    headers: async () => bearer(await signJwt({ secret: randomBytes(32).toString("base64url") })),
  },
  { credential: "a JWT of a revoked signing key", headers: () => bearer(revokedKidJwt) },
  { credential: "a JWT without exp", headers: async () => bearer(await signJwt({ exp: null })) },
  {
    credential: "a JWT without kid",
    headers: async () =>
      bearer(
        await new SignJWT({ userId: alice.userId })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime(inSeconds(600))
          .sign(Buffer.from(aliceSecret, "utf8")),
      ),
  },
  {
    credential: "an alg=none JWT without signature",
    headers: () =>
      bearer(
        `${b64({ alg: "none", typ: "JWT", kid: aliceKid })}.${b64({ userId: alice.userId, exp: inSeconds(600) })}.`,
      ),
  },
  {
    credential: "an alg=none JWT carrying a signature",
    headers: async () => {
      const [, , signature] = (await signJwt({})).split(".");
      return bearer(
        `${b64({ alg: "none", kid: aliceKid })}.${b64({ userId: alice.userId, exp: inSeconds(600) })}.${signature}`,
      );
    },
  },
  { credential: "an HS512 JWT with the right secret", headers: async () => bearer(await signJwt({ alg: "HS512" })) },
  { credential: "a malformed three-part token", headers: () => bearer("abc.def.ghi") },
  {
    credential: "a JWT with a tampered payload",
    headers: async () => {
      const [header, , signature] = (await signJwt({})).split(".");
      return bearer(`${header}.${b64({ userId: "someone-else", exp: inSeconds(600) })}.${signature}`);
    },
  },
  {
    credential: "a JWT without userId or sub",
    headers: async () => bearer(await signJwt({ claims: { role: "admin" } })),
  },
  {
    credential: "a JWT whose userId is not a string",
    headers: async () => bearer(await signJwt({ claims: { userId: 42 } })),
  },
  {
    credential: "a JWT whose userId has 10,001 characters",
    headers: async () => bearer(await signJwt({ claims: { userId: "u".repeat(10_001) } })),
  },
  { credential: "an API key in x-alloy-user-token", headers: () => ({ "x-alloy-user-token": alice.key }) },
  { credential: "garbage in x-alloy-user-token", headers: () => ({ "x-alloy-user-token": "not a token" }) },
];

describe("401 UNAUTHORIZED", () => {
  const matrix = FAILING.flatMap((credential) => ROUTES.map((route) => ({ ...credential, route })));

  it.each(titled(matrix, (c) => `${c.route.label} with ${c.credential}`))(
    "%s",
    async (_, { route, headers, message }) => {
      const sent = await headers();
      const res = await expectRefused(route, aliceServer, sent, 401, "UNAUTHORIZED");
      if (message) expect(res.body.error.message).toMatch(message);
    },
  );

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

// ---- 403: valid credentials that may not do this ------------------------------------------------------

describe("403 FORBIDDEN", () => {
  const overriding: { credential: string; headers: () => Headers }[] = [
    {
      credential: "a key without canActAsAnyUser sending another x-alloy-userid",
      headers: () => bearer(alice.key, { "x-alloy-userid": IMPERSONATED }),
    },
    {
      credential: "a JWT (Bearer) sending another x-alloy-userid",
      headers: () => bearer(aliceJwt, { "x-alloy-userid": IMPERSONATED }),
    },
    {
      credential: "a JWT (x-alloy-user-token) sending another x-alloy-userid",
      headers: () => ({ "x-alloy-user-token": aliceJwt, "x-alloy-userid": IMPERSONATED }),
    },
  ];
  it.each(
    titled(
      overriding.flatMap((c) => ROUTES.map((route) => ({ ...c, route }))),
      (c) => `${c.route.label} with ${c.credential}`,
    ),
  )("%s", async (_, { route, headers }) => {
    await expectRefused(route, impersonatedServer, headers(), 403, "FORBIDDEN");
  });

  // The same account, another end user's server.
  const sameAccount: { credential: string; headers: () => Headers }[] = [
    { credential: "the account's API key", headers: () => bearer(alice.key) },
    { credential: "a JWT of the account", headers: () => bearer(aliceJwt) },
    {
      credential: "the override key acting as a third user",
      headers: () => bearer(overrideKey, { "x-alloy-userid": "third" }),
    },
  ];
  it.each(
    titled(
      sameAccount.flatMap((c) => SERVER_ROUTES.map((route) => ({ ...c, route }))),
      (c) => `${c.route.label} on another end user's server of the same account, with ${c.credential}`,
    ),
  )("%s", async (_, { route, headers }) => {
    await expectRefused(route, coworkerServer, headers(), 403, "FORBIDDEN");
  });
});

// ---- 404: another account's server is indistinguishable from a missing one ------------------------------

describe("404 NOT_FOUND across accounts", () => {
  const callers: { credential: string; headers: () => Headers }[] = [
    { credential: "an API key of another account", headers: () => bearer(alice.key) },
    { credential: "a JWT of another account", headers: () => bearer(aliceJwt) },
    {
      credential: "another account's override key acting as the owner's user id",
      headers: () => bearer(overrideKey, { "x-alloy-userid": bob.userId }),
    },
  ];

  it.each(
    titled(
      callers.flatMap((c) => SERVER_ROUTES.map((route) => ({ ...c, route }))),
      (c) => `${c.route.label} with ${c.credential}`,
    ),
  )("%s", async (_, { route, headers }) => {
    expect(await db().mcpServer.findUnique({ where: { id: missingLikeBob } })).toBeNull();
    const theirs = await expectRefused(route, bobServer, headers(), 404, "NOT_FOUND");
    const missing = await expectRefused(
      route,
      { serverId: missingLikeBob, name: bobServer.name },
      headers(),
      404,
      "NOT_FOUND",
    );
    expect(theirs.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
    expect(theirs.text).toBe(missing.text);
    expect(theirs.headers.get("content-type")).toBe(missing.headers.get("content-type"));
    // Bob's server is still there, untouched.
    expect(await db().mcpServer.findUnique({ where: { id: bobServer.serverId } })).not.toBeNull();
  });
});

// ---- 400: x-alloy-userid longer than a user id can be -----------------------------------------------

describe("x-alloy-userid length", () => {
  it.each(
    titled(
      ROUTES,
      (route) => `${route.label} with a 10,001-character x-alloy-userid and an override-capable key is 400`,
    ),
  )("%s", async (_, route) => {
    await expectRefused(
      route,
      aliceServer,
      bearer(overrideKey, { "x-alloy-userid": "u".repeat(10_001) }),
      400,
      "INVALID_REQUEST",
    );
  });
});

// ---- credentials that must work -------------------------------------------------------------------------

type WorkingCredential = {
  credential: string;
  /** The end user the call must act as. */
  user: () => string;
  actor: "api_key" | "jwt";
  headers: () => Headers | Promise<Headers>;
};

const LONG_USER = "L".repeat(10_000);

const WORKING: WorkingCredential[] = [
  { credential: "an API key", user: () => alice.userId, actor: "api_key", headers: () => bearer(alice.key) },
  {
    credential: 'an API key with a lower-case "bearer"',
    user: () => alice.userId,
    actor: "api_key",
    headers: () => ({ authorization: `bearer ${alice.key}` }),
  },
  { credential: "a JWT as Bearer", user: () => alice.userId, actor: "jwt", headers: () => bearer(aliceJwt) },
  {
    credential: "a JWT in x-alloy-user-token",
    user: () => alice.userId,
    actor: "jwt",
    headers: () => ({ "x-alloy-user-token": aliceJwt }),
  },
  {
    credential: "a JWT that expired 10 s ago (within the clock tolerance)",
    user: () => alice.userId,
    actor: "jwt",
    headers: async () => bearer((await mintJwt(aliceKid, alice.userId, -10)).token),
  },
  {
    credential: "a JWT with only sub",
    user: () => "sub-only-user",
    actor: "jwt",
    headers: async () =>
      bearer(
        await new SignJWT({})
          .setProtectedHeader({ alg: "HS256", kid: aliceKid })
          .setSubject("sub-only-user")
          .setExpirationTime(inSeconds(600))
          .sign(Buffer.from(aliceSecret, "utf8")),
      ),
  },
  {
    credential: "a JWT whose userId claim differs from sub (userId wins)",
    user: () => "claimed-user",
    actor: "jwt",
    headers: async () => bearer(await signJwt({ claims: { userId: "claimed-user", sub: "subject-user" } })),
  },
  {
    credential: "an override-capable key with x-alloy-userid",
    user: () => "end-user-42",
    actor: "api_key",
    headers: () => bearer(overrideKey, { "x-alloy-userid": "end-user-42" }),
  },
  {
    credential: "a plain key sending its own user id as x-alloy-userid",
    user: () => alice.userId,
    actor: "api_key",
    headers: () => bearer(alice.key, { "x-alloy-userid": alice.userId }),
  },
  {
    credential: "a JWT sending its own user id as x-alloy-userid",
    user: () => alice.userId,
    actor: "jwt",
    headers: () => bearer(aliceJwt, { "x-alloy-userid": alice.userId }),
  },
  {
    credential: "an override-capable key with a 10,000-character x-alloy-userid",
    user: () => LONG_USER,
    actor: "api_key",
    headers: () => bearer(overrideKey, { "x-alloy-userid": LONG_USER }),
  },
];

describe("working credentials", () => {
  const matrix = WORKING.flatMap((credential) => ROUTES.map((route) => ({ ...credential, route })));

  it.each(titled(matrix, (c) => `${c.route.label} with ${c.credential}`))(
    "%s",
    async (_, { route, user, actor, headers }) => {
      const userId = user();
      const target = route.onServer ? await serverOf(alice.accountId, userId) : aliceServer;
      const auditIds = async () => (await db().auditEvent.findMany({ select: { id: true } })).map((e) => e.id);
      const auditBefore = new Set(await auditIds());
      const res = await send(route, target.serverId, await headers());
      expect(res.status, res.text).toBe(route.ok);
      expect(res.headers.get("content-type")).toContain("application/json");

      const row = (id: string) => db().mcpServer.findUnique({ where: { id } });
      switch (route.label) {
        case "POST /api/servers": {
          const created = await row(res.body.serverId);
          expect(created).toMatchObject({ accountId: alice.accountId, ownerUserId: userId, name: res.body.name });
          break;
        }
        case "GET /api/servers": {
          const owned = await db().mcpServer.findMany({
            where: { accountId: alice.accountId, ownerUserId: userId },
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
      }

      // Mutations are audited under the credential that made them; reads and previews are not.
      const newIds = (await auditIds()).filter((id) => !auditBefore.has(id));
      const newEvents = await db().auditEvent.findMany({ where: { id: { in: newIds } } });
      const mutates = route.method !== "GET" && !route.label.includes("dryRun");
      expect(newEvents).toHaveLength(mutates ? 1 : 0);
      if (mutates) {
        expect(newEvents[0]).toMatchObject({ accountId: alice.accountId, actorType: actor });
        if (actor === "jwt") expect(newEvents[0]!.actorId).toBe(userId);
      }
    },
  );
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
    const key = await createApiKey(alice.accountId, { defaultUserId: alice.userId });
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
    const key = await createApiKey(alice.accountId, { defaultUserId: alice.userId, canActAsAnyUser: true });
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
    const { kid } = await createJwtSigningKey(alice.accountId);
    const { token } = await mintJwt(kid, "second-key-user", 600);
    const res = await call("POST", "/api/servers", { headers: bearer(token), body: { name: "Second Key" } });
    expect(res.status).toBe(201);
    expect(await db().mcpServer.findUnique({ where: { id: res.body.serverId } })).toMatchObject({
      accountId: alice.accountId,
      ownerUserId: "second-key-user",
    });
  });
});
