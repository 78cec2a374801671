// The shared half of the authorization matrix (docs/api.md sections 2, 4 and 6): the credentials every matrix
// file tries, the ones that must fail and the ones that must work, and the assertions that a refusal
// changed nothing and leaked nothing. The matrix files are server/auth/authenticate.test.ts (the
// /api/servers routes) and test/authorization/*.test.ts (connectors, account routes, the MCP endpoint).
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { decryptSecret } from "@/server/secrets";
import { addMember } from "@/server/services/accounts";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { mintJwt, revokeJwtSigningKey } from "@/server/services/jwt-keys";
import { expectError } from "@/test/assertions";
import { browser, createJwt, createTenant, sessionCookie } from "@/test/factories";
import { bearer, call, type ApiResponse } from "@/test/route-client";

export type Headers = Record<string, string>;
export type Tenant = Awaited<ReturnType<typeof createTenant>>;

export const unique = () => randomBytes(4).toString("hex");

/** it.each rows `[title, case]`: "%s" prints the whole title, where "$field" would truncate it. */
export const titled = <T>(cases: T[], title: (c: T) => string) => cases.map((c) => [title(c), c] as [string, T]);

/** Every combination of `a` and `b`, each row carrying both. */
export const cross = <A extends object, B extends object>(a: A[], b: B[]) =>
  a.flatMap((x) => b.map((y) => ({ ...x, ...y })));

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
export const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

/** PUBLIC_BASE_URL of the tests (vitest.config.ts): the dashboard's own origin. */
export const APP_ORIGIN = "http://switchboard.test";

// ---- the credentials ----------------------------------------------------------------------------------

export type Credentials = {
  /** Account A: its owner's default key (no override), a JWT signing key, an override-capable key. */
  alice: Tenant;
  aliceKid: string;
  aliceSecret: string;
  aliceJwt: string;
  overrideKey: string;
  /** The owner's dashboard session (a valid next-auth cookie; same-origin headers come from browser()). */
  aliceCookie: string;
  /** A second dashboard user (role MEMBER) of account A: another end user of the same account. */
  member: { id: string; email: string };
  memberCookie: string;
  /** Account B, whose key may act as any user: what it owns must be invisible to account A and back. */
  bob: Tenant;
  bobJwt: string;
  bobCookie: string;
  /** Credentials that were valid and were then revoked or expired. */
  revokedKey: string;
  revokedKidJwt: string;
  expiredJwt: string;
};

const fixtures = {} as Credentials;

/**
 * Creates the two accounts and their credentials before the file's tests (and before the file's own
 * beforeAll hooks registered after this call). Returns the object that holds them once created.
 */
export function useCredentials(): Credentials {
  beforeAll(async () => {
    const alice = await createTenant();
    const bob = await createTenant({ canActAsAnyUser: true });
    const { kid: aliceKid, token: aliceJwt } = await createJwt(alice.accountId, alice.userId);
    const aliceSecret = decryptSecret(
      (await db().jwtSigningKey.findUniqueOrThrow({ where: { kid: aliceKid } })).secretEncrypted,
    );

    // Credentials that worked, then were revoked.
    const doomedKey = await createApiKey(alice.accountId, { defaultUserId: alice.userId });
    expect((await call("GET", "/api/servers", { headers: bearer(doomedKey.key) })).status).toBe(200);
    await revokeApiKey(alice.accountId, doomedKey.id);
    const doomedJwt = await createJwt(alice.accountId, alice.userId);
    expect((await call("GET", "/api/servers", { headers: bearer(doomedJwt.token) })).status).toBe(200);
    await revokeJwtSigningKey(alice.accountId, doomedJwt.kid);

    const member = await addMember(alice.accountId, "OWNER", {
      email: `member-${unique()}@example.com`,
      password: "a long member password",
    });

    Object.assign(fixtures, {
      alice,
      aliceKid,
      aliceSecret,
      aliceJwt,
      overrideKey: (await createApiKey(alice.accountId, { defaultUserId: alice.userId, canActAsAnyUser: true })).key,
      aliceCookie: await sessionCookie(alice.userId),
      member: { id: member.id, email: member.email },
      memberCookie: await sessionCookie(member.id),
      bob,
      bobJwt: (await createJwt(bob.accountId, bob.userId)).token,
      bobCookie: await sessionCookie(bob.userId),
      revokedKey: doomedKey.key,
      revokedKidJwt: doomedJwt.token,
      // Expired two minutes ago: well past the 30 s clock tolerance.
      expiredJwt: (await mintJwt(aliceKid, alice.userId, -120)).token,
    } satisfies Credentials);
  });
  return fixtures;
}

/** Signs a token the way an account's backend might, for the cases mintJwt would not produce. */
export async function signJwt(options: {
  claims?: Record<string, unknown>;
  kid?: string;
  secret?: string;
  alg?: string;
  exp?: number | null;
}) {
  const jwt = new SignJWT(options.claims ?? { userId: fixtures.alice.userId })
    .setProtectedHeader({ alg: options.alg ?? "HS256", kid: options.kid ?? fixtures.aliceKid })
    .setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? inSeconds(600));
  return jwt.sign(Buffer.from(options.secret ?? fixtures.aliceSecret, "utf8"));
}

// ---- 401: credentials that must not work, anywhere ----------------------------------------------------

export type FailingCredential = { credential: string; headers: () => Headers | Promise<Headers>; message?: RegExp };

const c = fixtures;

export const FAILING: FailingCredential[] = [
  { credential: "no credentials at all", headers: () => ({}), message: /Missing credentials/ },
  { credential: 'an API key without "Bearer "', headers: () => ({ authorization: c.alice.key }), message: /Bearer/ },
  { credential: 'a JWT without "Bearer "', headers: () => ({ authorization: c.aliceJwt }), message: /Bearer/ },
  { credential: "a Basic scheme", headers: () => ({ authorization: `Basic ${b64("a:b")}` }), message: /Bearer/ },
  { credential: '"Bearer" with no token', headers: () => ({ authorization: "Bearer" }), message: /Bearer/ },
  { credential: "an empty Authorization header", headers: () => ({ authorization: "" }), message: /Bearer/ },
  { credential: "an unknown API key", headers: () => bearer(`sbk_${randomBytes(32).toString("base64url")}`) },
  { credential: "a revoked API key", headers: () => bearer(c.revokedKey), message: /revoked/i },
  { credential: "a JWT that expired 120 s ago", headers: () => bearer(c.expiredJwt), message: /expired/i },
  {
    credential: "an expired JWT in x-alloy-user-token",
    headers: () => ({ "x-alloy-user-token": c.expiredJwt }),
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
  { credential: "a JWT of a revoked signing key", headers: () => bearer(c.revokedKidJwt) },
  { credential: "a JWT without exp", headers: async () => bearer(await signJwt({ exp: null })) },
  {
    credential: "a JWT without kid",
    headers: async () =>
      bearer(
        await new SignJWT({ userId: c.alice.userId })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime(inSeconds(600))
          .sign(Buffer.from(c.aliceSecret, "utf8")),
      ),
  },
  {
    credential: "an alg=none JWT without signature",
    headers: () =>
      bearer(
        `${b64({ alg: "none", typ: "JWT", kid: c.aliceKid })}.${b64({ userId: c.alice.userId, exp: inSeconds(600) })}.`,
      ),
  },
  {
    credential: "an alg=none JWT carrying a signature",
    headers: async () => {
      const [, , signature] = (await signJwt({})).split(".");
      return bearer(
        `${b64({ alg: "none", kid: c.aliceKid })}.${b64({ userId: c.alice.userId, exp: inSeconds(600) })}.${signature}`,
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
  { credential: "an API key in x-alloy-user-token", headers: () => ({ "x-alloy-user-token": c.alice.key }) },
  { credential: "garbage in x-alloy-user-token", headers: () => ({ "x-alloy-user-token": "not a token" }) },
  // The dashboard's cookie, sent the way the dashboard sends it (same origin): only its validity is at fault.
  {
    credential: "a session cookie that expired 120 s ago",
    headers: async () => browser(await sessionCookie(c.alice.userId, { maxAgeSeconds: -120 })),
    message: /Session expired or invalid/,
  },
  {
    credential: "a session cookie signed with another installation's secret",
    headers: async () =>
      browser(await sessionCookie(c.alice.userId, { secret: "another-installation-secret-0123456789" })),
    message: /Session expired or invalid/,
  },
  {
    credential: "a garbage session cookie",
    headers: () => browser("next-auth.session-token=garbage"),
    message: /Session expired or invalid/,
  },
  {
    credential: "the session cookie of a user that does not exist",
    headers: async () => browser(await sessionCookie(`usr_${randomBytes(16).toString("hex")}`)),
    message: /Session expired or invalid/,
  },
  {
    credential: "an invalid Authorization header next to a valid session cookie (the header wins)",
    headers: () => ({ ...browser(c.aliceCookie), authorization: "Bearer sbk_wrong" }),
  },
];

// ---- credentials that must work ---------------------------------------------------------------------------

export type WorkingCredential = {
  credential: string;
  /** The end user the call must act as. */
  user: () => string;
  actor: "api_key" | "jwt" | "session";
  headers: () => Headers | Promise<Headers>;
};

export const LONG_USER = "L".repeat(10_000);

/** The API credentials (section 2) that must work on every REST route that takes them, and on the MCP API URL. */
export const WORKING_API: WorkingCredential[] = [
  { credential: "an API key", user: () => c.alice.userId, actor: "api_key", headers: () => bearer(c.alice.key) },
  {
    credential: 'an API key with a lower-case "bearer"',
    user: () => c.alice.userId,
    actor: "api_key",
    headers: () => ({ authorization: `bearer ${c.alice.key}` }),
  },
  { credential: "a JWT as Bearer", user: () => c.alice.userId, actor: "jwt", headers: () => bearer(c.aliceJwt) },
  {
    credential: "a JWT in x-alloy-user-token",
    user: () => c.alice.userId,
    actor: "jwt",
    headers: () => ({ "x-alloy-user-token": c.aliceJwt }),
  },
  {
    credential: "a JWT that expired 10 s ago (within the clock tolerance)",
    user: () => c.alice.userId,
    actor: "jwt",
    headers: async () => bearer((await mintJwt(c.aliceKid, c.alice.userId, -10)).token),
  },
  {
    credential: "a JWT with only sub",
    user: () => "sub-only-user",
    actor: "jwt",
    headers: async () =>
      bearer(
        await new SignJWT({})
          .setProtectedHeader({ alg: "HS256", kid: c.aliceKid })
          .setSubject("sub-only-user")
          .setExpirationTime(inSeconds(600))
          .sign(Buffer.from(c.aliceSecret, "utf8")),
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
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": "end-user-42" }),
  },
  {
    credential: "a plain key sending its own user id as x-alloy-userid",
    user: () => c.alice.userId,
    actor: "api_key",
    headers: () => bearer(c.alice.key, { "x-alloy-userid": c.alice.userId }),
  },
  {
    credential: "a JWT sending its own user id as x-alloy-userid",
    user: () => c.alice.userId,
    actor: "jwt",
    headers: () => bearer(c.aliceJwt, { "x-alloy-userid": c.alice.userId }),
  },
  {
    credential: "an override-capable key with a 10,000-character x-alloy-userid",
    user: () => LONG_USER,
    actor: "api_key",
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": LONG_USER }),
  },
];

/** The dashboard's session cookie as the dashboard's own pages send it: it must work on every REST route. */
export const WORKING_SESSION: WorkingCredential[] = [
  {
    credential: "the session cookie with the app's Origin",
    user: () => c.alice.userId,
    actor: "session",
    headers: () => browser(c.aliceCookie),
  },
  {
    credential: "the session cookie with no Origin and a Referer of the app's own page",
    user: () => c.alice.userId,
    actor: "session",
    headers: () => ({ cookie: c.aliceCookie, referer: `${APP_ORIGIN}/servers?page=2` }),
  },
  {
    // isSameOrigin also accepts the request's own Host (`npm start` on localhost without PUBLIC_BASE_URL).
    credential: "the session cookie with an Origin equal to the request's own Host",
    user: () => c.alice.userId,
    actor: "session",
    headers: () => ({ cookie: c.aliceCookie, host: "localhost:3000", origin: "http://localhost:3000" }),
  },
  {
    credential: "the session cookie sending its own user id as x-alloy-userid",
    user: () => c.alice.userId,
    actor: "session",
    headers: () => ({ ...browser(c.aliceCookie), "x-alloy-userid": c.alice.userId }),
  },
];

export const WORKING: WorkingCredential[] = [...WORKING_API, ...WORKING_SESSION];

// ---- 403: a valid credential naming a user it may not act as -------------------------------------------

export type RefusedCredential = { credential: string; headers: () => Headers };

export const IMPERSONATED = "someone-else";

/** Valid API credentials of account A that send an x-alloy-userid they may not use: 403 everywhere. */
export const OVERRIDING_API: RefusedCredential[] = [
  {
    credential: "a key without canActAsAnyUser sending another x-alloy-userid",
    headers: () => bearer(c.alice.key, { "x-alloy-userid": IMPERSONATED }),
  },
  {
    credential: "a JWT (Bearer) sending another x-alloy-userid",
    headers: () => bearer(c.aliceJwt, { "x-alloy-userid": IMPERSONATED }),
  },
  {
    credential: "a JWT (x-alloy-user-token) sending another x-alloy-userid",
    headers: () => ({ "x-alloy-user-token": c.aliceJwt, "x-alloy-userid": IMPERSONATED }),
  },
];

/** The same with the dashboard's session cookie: 403 on every REST route. */
export const OVERRIDING: RefusedCredential[] = [
  ...OVERRIDING_API,
  {
    credential: "the session cookie sending another x-alloy-userid",
    headers: () => ({ ...browser(c.aliceCookie), "x-alloy-userid": IMPERSONATED }),
  },
];

// ---- the CSRF rule: a cookie-authenticated change must come from the app's own pages ---------------------

/** The owner's cookie on a change, with these Origin / Referer headers (absent when undefined). */
const cookieFrom = (credential: string, from: { origin?: string; referer?: string }): RefusedCredential => ({
  credential: `the cookie with ${credential}`,
  headers: () => ({ cookie: c.aliceCookie, ...from }),
});

/**
 * A valid session cookie on a change (POST, PUT, DELETE) that does not provably come from the app's own
 * origin: 403 FORBIDDEN, nothing changed. Origin decides when present (a same-site Referer cannot
 * overrule a foreign Origin); Referer only when Origin is absent. Neither present is refused too: every
 * current browser sends Origin on a non-GET request, so a cookie change without Origin or Referer does not
 * come from our pages. It is what an old browser's cross-site form post looks like when the attacking page
 * also suppresses the Referer (Referrer-Policy: no-referrer), and a non-browser client holding the cookie
 * can use an API key instead: failing closed costs nothing legitimate. `Origin: null` is refused as well:
 * the dashboard's own changes are fetch() calls (mode "cors"), whose Origin browsers always send for real,
 * even under our Referrer-Policy: no-referrer (only a native form post from such a page says "null").
 */
export const CROSS_SITE: RefusedCredential[] = [
  cookieFrom("an Origin of another site", { origin: "https://evil.example" }),
  cookieFrom("the app's host over https (another origin)", { origin: "https://switchboard.test" }),
  cookieFrom("the app's host on another port", { origin: "http://switchboard.test:8080" }),
  cookieFrom("an Origin of a subdomain", { origin: "http://evil.switchboard.test" }),
  cookieFrom("an Origin that starts like the app's", { origin: "http://switchboard.test.evil.example" }),
  cookieFrom('Origin "null" (sandboxed frame, data: URL)', { origin: "null" }),
  cookieFrom("a foreign Origin and the app's Referer", { origin: "https://evil.example", referer: `${APP_ORIGIN}/` }),
  cookieFrom("no Origin and a Referer of another site", { referer: "https://evil.example/attack.html" }),
  cookieFrom("no Origin and a Referer that starts like the app's", {
    referer: "http://switchboard.test.evil.example/",
  }),
  cookieFrom("no Origin and an unparsable Referer", { referer: "not a url" }),
  cookieFrom("neither Origin nor Referer", {}),
];

export const CROSS_SITE_MESSAGE = "Cross-origin request refused: cookie-authenticated changes must come from this site";

export const isMutation = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method);

// ---- assertions ---------------------------------------------------------------------------------------

/** The body of a refusal names none of `secrets` (what it refused) and echoes no credential it was sent. */
export function expectNoLeak(res: { text: string }, secrets: string[], headers: Headers = {}) {
  for (const secret of secrets) expect(res.text, "the refusal leaks what it refused").not.toContain(secret);
  for (const [name, value] of Object.entries(headers)) {
    if (name === "host" || name === "origin" || name === "referer") continue;
    const secret = value.replace(/^Bearer\s+/i, "").replace(/^next-auth\.session-token=/, "");
    if (secret.length >= 8) expect(res.text, `the refusal echoes ${name}`).not.toContain(secret);
  }
}

/**
 * Every row of every table, in one statement: a refused request must change none. The tables are found
 * at run time, so a table added later is watched too. Left out: the rate-limit counters and the migration
 * log, and API keys' lastUsedAt (authenticating a valid key touches it even when the route then refuses).
 */
let snapshotSql = "";

export async function snapshot(): Promise<Record<string, unknown>> {
  if (!snapshotSql) {
    const tables = await db().$queryRaw<{ name: string }[]>`
      SELECT tablename::text AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename NOT IN ('rate_limits', '_prisma_migrations')
      ORDER BY 1`;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["McpServer", "Credential", "AuditEvent"]));
    snapshotSql = tables
      .map(
        ({ name }) =>
          `SELECT '${name}' AS "table", coalesce(jsonb_agg(to_jsonb(t) - 'lastUsedAt' ORDER BY to_jsonb(t)::text), '[]') AS rows FROM "${name}" t`,
      )
      .join(" UNION ALL ");
  }
  const rows = await db().$queryRawUnsafe<{ table: string; rows: unknown }[]>(snapshotSql);
  return Object.fromEntries(rows.map(({ table, rows }) => [table, rows]));
}

/** Sends the request and checks that it was refused with `status`/`code`, leaked nothing and changed nothing. */
export async function expectRefused(
  send: () => Promise<ApiResponse>,
  expected: { status: number; code: string; message?: RegExp | string; secrets?: string[]; headers?: Headers },
): Promise<ApiResponse> {
  const before = await snapshot();
  const res = await send();
  expectError(res, expected.status, expected.code);
  if (typeof expected.message === "string") expect(res.body.error.message).toBe(expected.message);
  else if (expected.message) expect(res.body.error.message).toMatch(expected.message);
  expectNoLeak(res, expected.secrets ?? [], expected.headers);
  expect(await snapshot(), "a refused request changed the database").toEqual(before);
  return res;
}

/** No CORS header: a browser page of another origin cannot read the answer. */
export function expectNoCors(res: { headers: globalThis.Headers }) {
  for (const name of ["access-control-allow-origin", "access-control-allow-credentials"]) {
    expect(res.headers.get(name), name).toBeNull();
  }
}

/** Two refusals that must be indistinguishable: same status, same headers that matter, same bytes. */
export function expectSameRefusal(theirs: ApiResponse, missing: ApiResponse) {
  expect(theirs.status).toBe(missing.status);
  expect(theirs.text).toBe(missing.text);
  expect(theirs.headers.get("content-type")).toBe(missing.headers.get("content-type"));
}

// ---- the rows every REST route shares ---------------------------------------------------------------

/** A REST operation of a matrix: how to call it on a target, and the status of its success. */
export type RestRoute<T> = {
  label: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: (target: T) => string;
  body?: () => unknown;
  ok: number;
};

export const sendRoute = <T>(route: RestRoute<T>, target: T, headers: Headers) =>
  call(route.method, route.url(target), { headers, body: route.body?.() });

export type RouteMatrix<T, R extends RestRoute<T>> = {
  routes: R[];
  /** What the refused requests name (a server, a connector, a key…). */
  target: () => T;
  /** What a refusal concerning `target` must not show. */
  secrets: (target: T) => string[];
  /** The target of the x-alloy-userid rows: one of the very user the header names, so only that rule refuses. */
  impersonatedTarget?: () => T;
  /** The headers of a credential that may name another end user, for the user-id length rows. */
  mayNameAnyUser: (userId: string) => Headers;
};

type Expected = { status: number; code: string; message?: RegExp | string };

/** `[title, row]` of every credential × route, titled "<route> with <credential>". */
export const routeRows = <C extends { credential: string }, R extends { label: string }>(
  credentials: C[],
  routes: R[],
) =>
  titled(
    cross(
      credentials,
      routes.map((route) => ({ route })),
    ),
    (row) => `${row.route.label} with ${row.credential}`,
  );

/**
 * Registers the rows that hold on every route alike: 401 for every failing credential, 403 for an
 * x-alloy-userid the credential may not name, 403 for a cookie-authenticated change from another origin,
 * reads from another origin answered without CORS, 400 for an over-long x-alloy-userid. Returns the
 * file's own refusal assertion: send, check status/code/message, no leak of the target, no change.
 */
export function describeCommonRefusals<T, R extends RestRoute<T>>(matrix: RouteMatrix<T, R>) {
  const refused = (route: R, headers: Headers, expected: Expected, target: T = matrix.target()) =>
    expectRefused(() => sendRoute(route, target, headers), { ...expected, secrets: matrix.secrets(target), headers });
  const mutating = matrix.routes.filter((route) => isMutation(route.method));
  const reads = matrix.routes.filter((route) => !isMutation(route.method));

  describe("401 UNAUTHORIZED", () => {
    it.each(routeRows(FAILING, matrix.routes))("%s", async (_, { route, headers, message }) => {
      await refused(route, await headers(), { status: 401, code: "UNAUTHORIZED", message });
    });
  });

  describe("403 FORBIDDEN: an x-alloy-userid the credential may not name", () => {
    it.each(routeRows(OVERRIDING, matrix.routes))("%s", async (_, { route, headers }) => {
      const target = (matrix.impersonatedTarget ?? matrix.target)();
      await refused(route, headers(), { status: 403, code: "FORBIDDEN" }, target);
    });
  });

  describe("403 FORBIDDEN: a cookie-authenticated change from another origin", () => {
    it.each(routeRows(CROSS_SITE, mutating))("%s", async (_, { route, headers }) => {
      await refused(route, headers(), { status: 403, code: "FORBIDDEN", message: CROSS_SITE_MESSAGE });
    });

    // Reads are not changes: a cross-site GET with the cookie is answered, and no CORS header lets the
    // other site read the answer (SameSite=Lax keeps the cookie off cross-site fetches anyway).
    it.each(titled(reads, (route) => `${route.label} with the cookie from another origin: answered, not shared`))(
      "%s",
      async (_, route) => {
        const res = await sendRoute(route, matrix.target(), browser(c.aliceCookie, "https://evil.example"));
        expect(res.status, res.text).toBe(200);
        expectNoCors(res);
      },
    );
  });

  describe("400 INVALID_REQUEST: an x-alloy-userid longer than a user id can be", () => {
    it.each(titled(matrix.routes, (route) => `${route.label} with a 10,001-character x-alloy-userid`))(
      "%s",
      async (_, route) => {
        await refused(route, matrix.mayNameAnyUser("u".repeat(10_001)), { status: 400, code: "INVALID_REQUEST" });
      },
    );
  });

  return refused;
}
