// Property-based fuzzing of the dashboard's session-only routes and of sign-up (docs/api.md sections 2 and 4;
// their operations under the Account tag of the OpenAPI document): GET|POST /api/api-keys, DELETE
// /api/api-keys/{id}, GET|POST /api/jwt-keys, DELETE /api/jwt-keys/{id}, GET|POST /api/members, GET
// /api/audit (query strings) and POST /api/signup (no credential), through the real route handlers and
// database. The oracle, written from the documents, decides who may call: a signed-in dashboard user by the
// next-auth session cookie (changes only from this site's Origin or Referer), never an API key or a JWT
// (403), nobody else (401); adding members is the owner's.
//
// Properties, for every request: no 5xx; the status is one the contract allows; every non-2xx body is the
// error envelope with a code matching the status; 2xx bodies have the documented shape and list exactly
// what the model says there is; a rejected request or a read changes no row of any table; nothing pollutes
// Object.prototype.
//
// Reproducible: the seed is fixed (FUZZ_SEED overrides it) and printed. Replay one property with
//   FUZZ_SEED=<seed> npx vitest run test/fuzz/account-routes.fuzz.test.ts -t "<property name>"
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { addMember } from "@/server/services/accounts";
import { createApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey } from "@/server/services/jwt-keys";
import { sessionCookie } from "@/test/factories";
import { call, type ApiResponse } from "@/test/route-client";
import * as fz from "@/test/fuzz/fuzz-kit";

/** Runs per property, sized with the other suites to stay within the CI budget on two cores. */
const RUNS = {
  listApiKeys: 250,
  createApiKey: 400,
  revokeApiKey: 350,
  listJwtKeys: 200,
  createJwtKey: 250,
  revokeJwtKey: 300,
  listMembers: 200,
  addMember: 280,
  audit: 550,
  signUp: 250,
} as const;
const MIN_REQUESTS = 3_000;

const tally = new fz.Tally();
const rows = new fz.RowWatch();
const loggedError = fz.watchUnhandledErrors();

// ---------------------------------------------------------------------------------------------------
// Fixtures: credentials of every kind, dashboard sessions, and a model of the keys, users and audit events.

let fx: fz.CredentialFixtures;
const ORIGIN = fz.BASE_URL;

type SessionUser = { id: string; accountId: string; role: "OWNER" | "MEMBER" };
/** The cookie values that sign someone in, and whom. */
const sessions = new Map<string, SessionUser>();
const cookies: Record<string, string> = {};

const apiKeys = new Map<string, { accountId: string; userId: string; revoked: boolean }>();
/** API keys the fuzzer may revoke: not the fixtures' (revoking those would change every other answer). */
const revocableKeys = new Map<string, string[]>();
const jwtKeys = new Map<string, { accountId: string; revoked: boolean }>();
const revocableKids = new Map<string, string[]>();
const members = new Map<string, { accountId: string }>();
const emails = new Set<string>();
type ModelEvent = { id: string; action: string; serverId: string | null; serverName: string | null; createdAt: number };
const auditEvents = new Map<string, ModelEvent[]>();
const listOf = <T>(map: Map<string, T[]>, key: string) => {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
};

beforeAll(async () => {
  console.log(`fuzz seed ${fz.SEED} (set FUZZ_SEED to change it)`);
  await db().$queryRaw`SELECT 1`;
  fx = await fz.createCredentialFixtures();
  const member = await addMember(fx.accountA, "OWNER", {
    email: `member-${Date.now()}@example.com`,
    password: "a long test password",
  });
  const owners: [string, SessionUser][] = [
    ["owner", { id: fx.userA, accountId: fx.accountA, role: "OWNER" }],
    ["member", { id: member.id, accountId: fx.accountA, role: "MEMBER" }],
    ["ownerB", { id: fx.userB, accountId: fx.accountB, role: "OWNER" }],
  ];
  for (const [kind, user] of owners) {
    const value = (await sessionCookie(user.id)).split("=")[1]!;
    cookies[kind] = value;
    sessions.set(value, user);
  }
  cookies.expired = (await sessionCookie(fx.userA, { maxAgeSeconds: -60 })).split("=")[1]!;
  cookies.wrongSecret = (await sessionCookie(fx.userA, { secret: "another secret of enough length 0123" })).split(
    "=",
  )[1]!;
  cookies.deletedUser = (await sessionCookie("usr_00000000000000000000000000000000")).split("=")[1]!;
  for (const accountId of [fx.accountA, fx.accountB]) {
    for (let i = 0; i < 3; i++) await createApiKey(accountId, { name: `spare ${i}`, defaultUserId: "spare-user" });
    for (let i = 0; i < 3; i++) await createJwtSigningKey(accountId);
  }
  for (const key of await db().apiKey.findMany()) {
    apiKeys.set(key.id, { accountId: key.accountId, userId: key.defaultUserId, revoked: key.revokedAt !== null });
    if (key.name.startsWith("spare")) listOf(revocableKeys, key.accountId).push(key.id);
  }
  const fixtureKids = new Set(
    [fx.jwt, fx.expiredJwt, fx.revokedKidJwt].map(
      (jwt) => (JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as { kid: string }).kid,
    ),
  );
  for (const key of await db().jwtSigningKey.findMany()) {
    jwtKeys.set(key.kid, { accountId: key.accountId, revoked: key.revokedAt !== null });
    if (!fixtureKids.has(key.kid) && !key.revokedAt) listOf(revocableKids, key.accountId).push(key.kid);
  }
  for (const user of await db().user.findMany()) {
    members.set(user.id, { accountId: user.accountId });
    emails.add(user.email);
  }
  await seedAuditEvents();
}, 120_000);

/** Server operations through the API, so that the audit log has events of every kind in both accounts. */
async function seedAuditEvents() {
  for (const [key, n] of [
    [fx.keyA, 5],
    [fx.keyB, 2],
  ] as const) {
    const auth = { authorization: `Bearer ${key}` };
    for (let i = 0; i < n; i++) {
      const created = await call("POST", "/api/servers", { headers: auth, body: { name: `Audit Seed ${i}` } });
      const id = created.body.serverId as string;
      if (i % 2 === 0) await call("PUT", `/api/servers/${id}`, { headers: auth, body: { description: `v${i}` } });
      if (i % 3 === 0) await call("POST", `/api/servers/${id}/token`, { headers: auth, body: {} });
      if (i === 1) await call("DELETE", `/api/servers/${id}`, { headers: auth });
    }
  }
  for (const event of await db().auditEvent.findMany()) {
    listOf(auditEvents, event.accountId).push({
      id: event.id,
      action: event.action,
      serverId: event.serverId,
      serverName: event.serverName,
      createdAt: event.createdAt.getTime(),
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Generators.

const SESSION_KINDS = ["owner", "member", "ownerB", "expired", "wrongSecret", "deletedUser"] as const;
type CookieSpec =
  | { kind: "none" }
  | { kind: "session"; who: (typeof SESSION_KINDS)[number]; shape: "plain" | "withOthers" | "secureName" | "upperName" }
  | { kind: "garbage"; value: string }
  | { kind: "twoSessions"; first: (typeof SESSION_KINDS)[number]; second: string }
  | { kind: "raw"; value: string };

const cookieArb: fc.Arbitrary<CookieSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<CookieSpec>({ kind: "none" }) },
  {
    weight: 40,
    arbitrary: fc.record({
      kind: fc.constant("session" as const),
      // Mostly a session that signs someone in, so that most requests reach the routes themselves.
      who: fc.constantFrom(...SESSION_KINDS, ...Array<"owner">(8).fill("owner"), "member", "member", "ownerB"),
      shape: fc.constantFrom(...Array<"plain">(7).fill("plain"), "withOthers", "secureName", "upperName"),
    }),
  },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        fz.shortString,
        fc.constantFrom("%", "%zz", "%E0%A4%A", "%u0041", "a%", "%00", "%%", "%C0%AF", "eyJ.eyJ.x", ""),
        fc.stringMatching(/^[A-Za-z0-9%._-]{0,40}$/),
      )
      .map((value) => ({ kind: "garbage" as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("twoSessions" as const),
      first: fc.constantFrom(...SESSION_KINDS),
      second: fz.shortString,
    }),
  },
  { weight: 1, arbitrary: fz.shortString.map((value) => ({ kind: "raw" as const, value })) },
);

const ORIGINS = ["same", "same", "same", "none", "evil", "null", "https", "refererSame", "refererEvil"] as const;

const authArb = fc.record({
  // Mostly no bearer credential, so that the cookie decides; else any credential of section 2.
  credential: fc.oneof(
    { weight: 4, arbitrary: fc.constant("none" as const) },
    { weight: 1, arbitrary: fz.credentialArb },
  ),
  cookie: cookieArb,
  origin: fc.constantFrom(...ORIGINS),
  garbage: fz.anyString,
  userId: fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom("sessionUser", "empty") },
    { weight: 1, arbitrary: fz.userIdArb },
  ),
  extra: fc.record(
    {
      "content-type": fc.constantFrom("application/json", "text/plain", ""),
      "x-request-id": fz.shortString,
      "x-forwarded-for": fc.constantFrom("203.0.113.7", "", "unknown, 10.0.0.1", "::1"),
    },
    { requiredKeys: [] },
  ),
});
type AuthSpec = typeof authArb extends fc.Arbitrary<infer T> ? T : never;

// --- bodies

const emailArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9]{1,12}$/).map((local) => `fz-${local}@example.com`) },
  { weight: 2, arbitrary: fc.constantFrom("EXISTING", "EXISTING_UPPER") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "no-at-sign",
      "a@",
      "@example.com",
      "a b@example.com",
      "a@example",
      "a..b@example.com",
      ".a@example.com",
      "é@example.com",
      "a@exämple.com",
      `${"x".repeat(310)}@example.com`,
      `${"x".repeat(64)}@${"y".repeat(250)}.com`,
      " a@example.com",
      "a@example.com\u0000",
    ),
  },
  { weight: 1, arbitrary: fz.anyString },
);
const passwordArb = fc.oneof(
  fc.string({ minLength: 8, maxLength: 30 }),
  fc.constantFrom("1234567", "12345678", "p".repeat(200), "p".repeat(201), "🔑".repeat(4), "🔑".repeat(101)),
);
const personNameArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.constantFrom("Ada", " Grace ", "   ", "", "n".repeat(100), "n".repeat(101), "😀".repeat(60)),
);
const validSignUpArb = fc.record(
  { email: emailArb, password: passwordArb, name: personNameArb },
  { requiredKeys: ["email", "password"] },
);
const SIGNUP_PATHS = [["email"], ["password"], ["name"], ["role"], ["accountId"], ["__proto__"], ["extra"]];
const signUpBodyArb = fz.bodyArb(validSignUpArb, SIGNUP_PATHS, 25);

const validApiKeyArb = fc.record({ name: personNameArb, canActAsAnyUser: fc.boolean() }, { requiredKeys: ["name"] });
const API_KEY_PATHS = [["name"], ["canActAsAnyUser"], ["defaultUserId"], ["key"], ["__proto__"], ["extra"]];
const apiKeyBodyArb = fz.bodyArb(validApiKeyArb, API_KEY_PATHS, 40);

/** Bodies sent where none is read: they must be ignored. */
const ignoredBodyArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<fz.BodySpec>({ kind: "none" }) },
  { weight: 2, arbitrary: apiKeyBodyArb },
);
const noBody = fc.constant<fz.BodySpec>({ kind: "none" });

// --- ids and the audit query

const keyIdArb = fc.oneof(
  { weight: 12, arbitrary: fz.idSpecArb(["mine", "mine", "mine", "revoked", "otherAccount", "kid"]) },
  { weight: 2, arbitrary: fc.stringMatching(/^key_[0-9a-f]{32}$/).map((id) => ({ kind: "raw" as const, id })) },
);
const kidArb = fc.oneof(
  { weight: 12, arbitrary: fz.idSpecArb(["mine", "mine", "mine", "revoked", "otherAccount", "keyId"]) },
  { weight: 2, arbitrary: fc.stringMatching(/^kid_[0-9a-f]{24}$/).map((id) => ({ kind: "raw" as const, id })) },
);

const AUDIT_ACTIONS = ["server.created", "server.updated", "server.token_rotated", "server.deleted"];
const auditQueryArb = fc.oneof(
  {
    weight: 9,
    arbitrary: fz.paramsQuery(
      fc.record(
        {
          limit: fc.oneof(
            fc.integer({ min: 1, max: 200 }).map(String),
            fc.constantFrom("0", "1", "200", "201", "-1", "abc", "", "05", "1e2", " 5", "9007199254740993", "٣"),
          ),
          offset: fc.oneof(
            fc.integer({ min: 0, max: 20 }).map(String),
            fc.constantFrom("-1", "", "1.5", "9007199254740991", "9007199254740992", "99999999999999999999"),
          ),
          serverId: fc.oneof(
            fc.constantFrom("SEEDED", "SEEDED", "audit-seed", "", "x".repeat(100), "x".repeat(101)),
            fz.shortString,
          ),
          action: fc.oneof(fc.constantFrom(...AUDIT_ACTIONS), fc.constantFrom("", "server.*", "SERVER.CREATED")),
          q: fc.oneof(
            fc.constantFrom("Audit", "seed 1", "AUDIT SEED", "%", "_", "\\", "q".repeat(100), "q".repeat(101)),
            fz.shortString,
          ),
        },
        { requiredKeys: [] },
      ),
      3,
    ),
  },
  { weight: 1, arbitrary: fz.rawQuery },
);

// ---------------------------------------------------------------------------------------------------
// The oracle, from docs/api.md and the Account operations of the OpenAPI document.

const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const emailVerdict = (v: unknown): fz.Verdict =>
  typeof v !== "string" || fz.codePoints(v) > 320 || !EMAIL.test(v) ? "invalid" : "valid";
/** 1–100 characters; blanks around are trimmed, which makes a name with them open. */
const trimmedNameVerdict = (v: unknown): fz.Verdict =>
  fz.worst([fz.lengthVerdict(v, 1, 100), typeof v === "string" && v !== v.trim() ? "ambiguous" : "valid"]);
const SIGNUP_FIELDS: Record<string, fz.FieldRule> = {
  email: emailVerdict,
  password: (v) => fz.lengthVerdict(v, 8, 200),
  name: trimmedNameVerdict,
};
const API_KEY_FIELDS: Record<string, fz.FieldRule> = {
  name: trimmedNameVerdict,
  canActAsAnyUser: (v) => (typeof v === "boolean" ? "valid" : "invalid"),
};

type Who = { user?: SessionUser; statuses: Set<number>; also401?: boolean };

const SAFE_METHODS = new Set(["GET"]);

/** Section 2 and the session-only operations: who is calling, or what the answer must be. */
function whoIsCalling(headers: Headers, method: string): Who {
  if (headers.get("authorization") !== null || headers.get("x-alloy-user-token")) {
    // An API key or a JWT: never a dashboard session.
    const auth = fz.authOutcome(fx, new Headers(headers));
    if (!auth.principal) return { statuses: auth.statuses, also401: auth.also401 };
    const statuses = auth.statuses.size ? auth.statuses : new Set([403]);
    return { statuses, also401: auth.also401 };
  }
  const user = sessionOf(headers.get("cookie"));
  if (!user) return { statuses: new Set([401]) };
  const statuses = new Set<number>();
  if (!SAFE_METHODS.has(method) && !sameOrigin(headers)) statuses.add(403);
  const requested = headers.get("x-alloy-userid");
  if (requested !== null && requested !== "" && requested !== user.id) {
    statuses.add(fz.codePoints(requested) > 10_000 ? 400 : 403);
    if (requested.length > 10_000) statuses.add(400);
  }
  return statuses.size ? { statuses } : { user, statuses };
}

/** The user the first next-auth session cookie names, if it is one that signs someone in. */
function sessionOf(cookie: string | null): SessionUser | undefined {
  for (const part of (cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== "next-auth.session-token") continue;
    return sessions.get(part.slice(at + 1).trim());
  }
  return undefined;
}

function sameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin !== null) return origin === ORIGIN;
  const referer = headers.get("referer");
  try {
    return referer !== null && new URL(referer).origin === ORIGIN;
  } catch {
    return false;
  }
}

function resolveAuth(spec: AuthSpec, bodyBytes: number | null): Record<string, string> {
  const h = fz.resolveHeaders(
    fx,
    { credential: spec.credential, garbage: spec.garbage, userId: null, extra: spec.extra },
    bodyBytes,
  );
  const set = (name: string, value: string) => (h[name] = fz.headerSafe(value));
  const c = spec.cookie;
  const name = "next-auth.session-token";
  if (c.kind === "session") {
    const value = cookies[c.who]!;
    const shapes = {
      plain: `${name}=${value}`,
      withOthers: `theme=dark; ${name}=${value}; other=1`,
      secureName: `__Secure-${name}=${value}`,
      upperName: `NEXT-AUTH.SESSION-TOKEN=${value}`,
    };
    set("cookie", shapes[c.shape]);
  } else if (c.kind === "garbage") set("cookie", `${name}=${c.value}`);
  else if (c.kind === "twoSessions") set("cookie", `${name}=${cookies[c.first]!}; ${name}=${c.second}`);
  else if (c.kind === "raw") set("cookie", c.value);
  const origins: Record<(typeof ORIGINS)[number], [string, string] | null> = {
    same: ["origin", ORIGIN],
    none: null,
    evil: ["origin", "https://evil.example"],
    null: ["origin", "null"],
    https: ["origin", ORIGIN.replace("http:", "https:")],
    refererSame: ["referer", `${ORIGIN}/settings`],
    refererEvil: ["referer", "https://evil.example/settings"],
  };
  const origin = origins[spec.origin];
  if (origin) set(...origin);
  if (spec.userId === "sessionUser") {
    const user = c.kind === "session" ? sessions.get(cookies[c.who]!) : undefined;
    set("x-alloy-userid", user?.id ?? fx.userA);
  } else if (spec.userId === "empty") set("x-alloy-userid", "");
  else if (spec.userId) {
    const values: Record<string, string> = {
      self: fx.userA,
      empty: "",
      spaces: "   ",
      someoneElse: fz.SOMEONE_ELSE,
      jwtUser: fz.JWT_USER,
      len10000: "u".repeat(10_000),
      len10001: "u".repeat(10_001),
    };
    set("x-alloy-userid", values[spec.userId.kind] ?? spec.userId.value ?? "");
  }
  return h;
}

// ---------------------------------------------------------------------------------------------------
// One fuzzed request, end to end.

type Route =
  | "listApiKeys"
  | "createApiKey"
  | "revokeApiKey"
  | "listJwtKeys"
  | "createJwtKey"
  | "revokeJwtKey"
  | "listMembers"
  | "addMember"
  | "audit"
  | "signUp";
const ROUTES: Record<Route, [method: string, path: string, success: number]> = {
  listApiKeys: ["GET", "/api/api-keys", 200],
  createApiKey: ["POST", "/api/api-keys", 201],
  revokeApiKey: ["DELETE", "/api/api-keys/{id}", 200],
  listJwtKeys: ["GET", "/api/jwt-keys", 200],
  createJwtKey: ["POST", "/api/jwt-keys", 201],
  revokeJwtKey: ["DELETE", "/api/jwt-keys/{id}", 200],
  listMembers: ["GET", "/api/members", 200],
  addMember: ["POST", "/api/members", 201],
  audit: ["GET", "/api/audit", 200],
  signUp: ["POST", "/api/signup", 201],
};

type Spec = { auth: AuthSpec; query: fz.QuerySpec; id?: fz.IdSpec; body: fz.BodySpec; signUpDisabled?: boolean };

/** The existing email a placeholder stands for; others as they are. */
function withEmails(text: string): string {
  const existing = [...emails][0]!;
  return text
    .replaceAll('"EXISTING_UPPER"', JSON.stringify(existing.toUpperCase()))
    .replaceAll('"EXISTING"', JSON.stringify(existing));
}

function resolveId(route: Route, spec: fz.IdSpec, user: SessionUser | undefined): fz.PathId {
  const accountId = spec.kind === "pool" && spec.pool === "otherAccount" ? otherAccount(user) : mine(user);
  const keys = (kids: boolean) => (kids ? revocableKids : revocableKeys);
  const revoked = (kids: boolean) =>
    [...(kids ? jwtKeys : apiKeys)].filter(([, k]) => k.accountId === accountId && k.revoked).map(([id]) => id);
  const kids = route === "revokeJwtKey";
  if (spec.kind === "raw") return fz.pathId([], spec);
  const pools: Record<string, string[]> = {
    mine: listOf(keys(kids), accountId),
    otherAccount: listOf(keys(kids), accountId),
    revoked: revoked(kids),
    kid: listOf(revocableKids, accountId),
    keyId: listOf(revocableKeys, accountId),
  };
  const pool = pools[spec.pool]!;
  return pool.length ? fz.pathId(pool, spec) : fz.pathId([], { kind: "raw", id: "key_none" });
}
const mine = (user: SessionUser | undefined) => user?.accountId ?? fx.accountA;
const otherAccount = (user: SessionUser | undefined) => (mine(user) === fx.accountA ? fx.accountB : fx.accountA);

async function replenishKeys(accountId: string) {
  const keyPool = listOf(revocableKeys, accountId);
  const kidPool = listOf(revocableKids, accountId);
  if (keyPool.length >= 2 && kidPool.length >= 2) return;
  await rows.outside(async () => {
    while (keyPool.length < 3) {
      const key = await createApiKey(accountId, { name: "spare", defaultUserId: "spare-user" });
      apiKeys.set(key.id, { accountId, userId: "spare-user", revoked: false });
      keyPool.push(key.id);
    }
    while (kidPool.length < 3) {
      const { kid } = await createJwtSigningKey(accountId);
      jwtKeys.set(kid, { accountId, revoked: false });
      kidPool.push(kid);
    }
  });
}

async function fuzzRequest(route: Route, spec: Spec) {
  // 1. The concrete request.
  const [method, template, success] = ROUTES[route];
  const bodyText = spec.body.kind === "text" ? withEmails(spec.body.text) : undefined;
  const sent: fz.BodySpec = bodyText === undefined ? { kind: "none" } : { kind: "text", text: bodyText };
  const headers = resolveAuth(spec.auth, bodyText === undefined ? null : Buffer.byteLength(bodyText));
  const who = route === "signUp" ? { statuses: new Set<number>() } : whoIsCalling(new Headers(headers), method);
  for (const accountId of [fx.accountA, fx.accountB]) await replenishKeys(accountId);
  const target = spec.id ? resolveId(route, spec.id, who.user) : undefined;
  const path = template.replace("{id}", target?.segment ?? "");
  const url = `${path}${fz.queryString(spec.query)}`;
  const ctx = [
    `${method} ${fz.clip(url, 300)}${spec.signUpDisabled ? " (SIGNUP_ENABLED=false)" : ""}`,
    `headers: ${fz.clip(JSON.stringify(headers), 600)}`,
    `body: ${bodyText === undefined ? "(none)" : fz.clip(JSON.stringify(bodyText), 600)}`,
  ].join("\n");

  // 2. What the contract allows.
  const allowed = new Set(who.statuses);
  let body: fz.BodyOutcome | undefined;
  let query: ReturnType<typeof auditQuery> | undefined;
  let mayMutate = false;
  if (who.user || route === "signUp") {
    const definite = new Set<number>();
    const open = new Set<number>();
    const judge = (verdict: fz.Verdict) => {
      if (verdict === "invalid") definite.add(400);
      if (verdict === "ambiguous") open.add(400);
    };
    let outcomes = [success];
    if (route === "signUp" || route === "addMember") {
      body = fz.objectBodyOutcome(sent, SIGNUP_FIELDS, { required: ["email", "password"] });
      judge(body.verdict);
      if (route === "signUp" && spec.signUpDisabled) definite.add(403);
      if (route === "addMember" && who.user!.role !== "OWNER") definite.add(403);
      const email = body.value.email;
      if (typeof email === "string" && emails.has(email.toLowerCase())) outcomes = [409];
    }
    // Credentials that can act as any end user are the owner's: an override key, signing keys, and
    // revoking another user's key.
    const member = who.user !== undefined && who.user.role !== "OWNER";
    if (route === "createApiKey") {
      body = fz.objectBodyOutcome(sent, API_KEY_FIELDS, { required: ["name"] });
      judge(body.verdict);
      if (member && body.verdict !== "invalid" && body.value.canActAsAnyUser === true) definite.add(403);
    }
    if (member && (route === "createJwtKey" || route === "revokeJwtKey")) definite.add(403);
    if (route === "audit") {
      query = auditQuery(new URL(url, fz.BASE_URL).searchParams);
      judge(query.verdict);
    }
    if (target) {
      const apiKey = route === "revokeApiKey" ? apiKeys.get(target.id) : undefined;
      const model = route === "revokeJwtKey" ? jwtKeys.get(target.id) : apiKey;
      const foreign = model?.accountId !== who.user!.accountId;
      if (member && !foreign && apiKey && apiKey.userId !== who.user!.id) definite.add(403);
      else if (foreign || model.revoked) definite.add(404);
    }
    for (const s of [...(definite.size ? definite : outcomes), ...open]) allowed.add(s);
    mayMutate = definite.size === 0 && method !== "GET";
  }
  if (who.also401) allowed.add(401);

  // 3. Send it, and check what every answer must satisfy.
  await rows.before(mayMutate);
  if (spec.signUpDisabled) process.env.SIGNUP_ENABLED = "false";
  const { res, where } = await fz
    .sendChecked(tally, loggedError, { method, url, headers, body: bodyText, ctx, allowed })
    .finally(() => delete process.env.SIGNUP_ENABLED);

  // 4. The properties of these routes.
  const ok = res.status >= 200 && res.status < 300;
  if (!ok) {
    fz.checkErrorEnvelope(res, where);
    if (res.status === 400 && body?.jsonObject && body.blamed.length && allowed.size === 1)
      fz.checkBlamed(res.body.error, body.blamed, where);
  } else {
    expect(res.headers.get("content-type"), where).toMatch(/^application\/json\b/);
    checkSuccess(route, res, { user: who.user, body, query, id: target?.id, where });
  }

  // 5. Rows: a rejected request or a read changes nothing.
  if (!ok || method === "GET") {
    await rows.unchanged(fz.clip(where, 1_500));
  } else {
    expect(mayMutate, `a change the contract does not allow\n${where}`).toBe(true);
    rows.changed();
  }
}

function auditQuery(params: URLSearchParams) {
  const { judge, verdict } = fz.queryJudge(params);
  judge("limit", (v) => fz.integerParamVerdict(v, 1, 200));
  judge("offset", (v) => fz.integerParamVerdict(v, 0, Number.MAX_SAFE_INTEGER));
  judge("serverId", (v) => fz.lengthVerdict(v, 1, 100));
  judge("action", (v) => (AUDIT_ACTIONS.includes(v) ? "valid" : "invalid"));
  judge("q", (v) => fz.textVerdict(v, 100));
  return { ...verdict(), params };
}

const newestFirst = (times: number[]) => [...times].sort((x, y) => y - x);
const oldestFirst = (times: number[]) => [...times].sort((x, y) => x - y);
const ids = (list: { id?: string; kid?: string }[]) => list.map((x) => x.id ?? x.kid).sort();

function checkSuccess(
  route: Route,
  res: ApiResponse,
  c: { user?: SessionUser; body?: fz.BodyOutcome; query?: ReturnType<typeof auditQuery>; id?: string; where: string },
) {
  const { where } = c;
  const b = res.body;
  const accountId = c.user?.accountId;
  const ofAccount = <T extends { accountId: string }>(map: Map<string, T>) =>
    [...map].filter(([, v]) => v.accountId === accountId).map(([id]) => id);
  switch (route) {
    case "listApiKeys": {
      expect(ids(b.apiKeys), `exactly the account's keys\n${where}`).toEqual(ofAccount(apiKeys).sort());
      for (const key of b.apiKeys) expect(key.revokedAt !== null, where).toBe(apiKeys.get(key.id)!.revoked);
      expect(JSON.stringify(b), `no key in a list\n${where}`).not.toMatch(/sbk_[\w-]{20,}/);
      const times = b.apiKeys.map((k: any) => Date.parse(k.createdAt));
      expect(times, `newest first\n${where}`).toEqual(newestFirst(times));
      break;
    }
    case "createApiKey": {
      expect(b.key, where).toMatch(/^sbk_[\w-]{20,}$/);
      expect(b.defaultUserId, `a dashboard key acts as its maker\n${where}`).toBe(c.user!.id);
      expect(b.canActAsAnyUser, where).toBe(c.body!.value.canActAsAnyUser === true);
      expect(b.revokedAt, where).toBeNull();
      apiKeys.set(b.id, { accountId: accountId!, userId: b.defaultUserId, revoked: false });
      listOf(revocableKeys, accountId!).push(b.id);
      break;
    }
    case "revokeApiKey":
    case "revokeJwtKey": {
      const jwt = route === "revokeJwtKey";
      if (jwt) expect(b, where).toEqual({ kid: c.id, revoked: true });
      else {
        expect(b.id, where).toBe(c.id);
        expect(b.revokedAt, where).toMatch(fz.ISO);
      }
      (jwt ? jwtKeys : apiKeys).get(c.id!)!.revoked = true;
      const pool = listOf(jwt ? revocableKids : revocableKeys, accountId!);
      pool.splice(pool.indexOf(c.id!), 1);
      break;
    }
    case "listJwtKeys": {
      expect(ids(b.jwtKeys), `exactly the account's signing keys\n${where}`).toEqual(ofAccount(jwtKeys).sort());
      for (const key of b.jwtKeys) expect(key.revokedAt !== null, where).toBe(jwtKeys.get(key.kid)!.revoked);
      const times = b.jwtKeys.map((k: any) => Date.parse(k.createdAt));
      expect(times, `newest first\n${where}`).toEqual(newestFirst(times));
      break;
    }
    case "createJwtKey": {
      expect(Object.keys(b), where).toEqual(["kid"]);
      jwtKeys.set(b.kid, { accountId: accountId!, revoked: false });
      listOf(revocableKids, accountId!).push(b.kid);
      break;
    }
    case "listMembers": {
      expect(ids(b.members), `exactly the account's users\n${where}`).toEqual(ofAccount(members).sort());
      const times = b.members.map((m: any) => Date.parse(m.createdAt));
      expect(times, `oldest first\n${where}`).toEqual(oldestFirst(times));
      break;
    }
    case "addMember":
    case "signUp": {
      const sent = c.body!.value as { email: string; name?: string };
      const email = sent.email.toLowerCase();
      if (route === "addMember") {
        expect(b.role, where).toBe("MEMBER");
        expect(b.email, where).toBe(email);
        if (typeof sent.name === "string" && sent.name === sent.name.trim()) expect(b.name, where).toBe(sent.name);
        members.set(b.id, { accountId: accountId! });
      } else {
        expect(Object.keys(b).sort(), where).toEqual(["accountId", "userId"]);
        members.set(b.userId, { accountId: b.accountId });
      }
      emails.add(email);
      break;
    }
    case "audit": {
      checkAuditPage(b, accountId!, c.query!, where);
      break;
    }
  }
}

function checkAuditPage(b: any, accountId: string, query: ReturnType<typeof auditQuery>, where: string) {
  const times = b.events.map((e: any) => Date.parse(e.createdAt));
  expect(times, `newest first\n${where}`).toEqual(newestFirst(times));
  expect(b.hasMore, where).toBe(b.offset + b.events.length < b.count);
  const known = new Map(listOf(auditEvents, accountId).map((e) => [e.id, e]));
  for (const e of b.events) expect(known.has(e.id), `an event of another account\n${where}`).toBe(true);
  if (query.verdict !== "valid") return;
  const p = query.params;
  expect(b.limit, where).toBe(p.has("limit") ? Number(p.get("limit")) : 50);
  expect(b.offset, where).toBe(p.has("offset") ? Number(p.get("offset")) : 0);
  const q = p.get("q");
  const matching = [...known.values()].filter(
    (e) =>
      (!p.get("serverId") || e.serverId === p.get("serverId")) &&
      (!p.get("action") || e.action === p.get("action")) &&
      (!q || `${e.serverName ?? ""}\n${e.serverId ?? ""}`.toLowerCase().includes(q.toLowerCase())),
  );
  // Case-insensitive matching beyond ASCII is the database's business: the count is checked for ASCII only.
  if (!q || /^[\x20-\x7e]*$/.test(q)) {
    expect(b.count, `the filters select the events\n${where}`).toBe(matching.length);
    expect(b.events.length, where).toBe(Math.max(0, Math.min(b.limit, matching.length - b.offset)));
  }
}

// ---------------------------------------------------------------------------------------------------
// The properties.

const SEEDED_SERVER = "__SEEDED_SERVER__";

function spec(options: {
  body?: fc.Arbitrary<fz.BodySpec>;
  query?: fc.Arbitrary<fz.QuerySpec>;
  id?: fc.Arbitrary<fz.IdSpec>;
  signUp?: boolean;
}) {
  return fc.record({
    auth: authArb,
    query: options.query ?? fz.junkQueryArb,
    body: options.body ?? noBody,
    ...(options.id ? { id: options.id } : {}),
    ...(options.signUp
      ? {
          signUpDisabled: fc.oneof(
            { weight: 9, arbitrary: fc.constant(false) },
            { weight: 1, arbitrary: fc.constant(true) },
          ),
        }
      : {}),
  });
}

/** The audit query's "SEEDED" server id stands for one that has events. */
const withSeededServer = (s: Spec): Spec => {
  if (s.query.kind !== "params") return s;
  const seeded = listOf(auditEvents, fx.accountA).find((e) => e.serverId)?.serverId ?? SEEDED_SERVER;
  return {
    ...s,
    query: { kind: "params", entries: s.query.entries.map(([k, v]) => [k, v === "SEEDED" ? seeded : v]) },
  };
};

const property = (route: Route, runs: number, options: Parameters<typeof spec>[0]) =>
  fz.propertyTest(
    tally,
    rows,
    `${ROUTES[route][0]} ${ROUTES[route][1]}`,
    spec(options),
    (s) => fuzzRequest(route, route === "audit" ? withSeededServer(s) : s),
    runs,
  );

describe(`account routes fuzz (seed ${fz.SEED})`, () => {
  property("listApiKeys", RUNS.listApiKeys, {});
  property("createApiKey", RUNS.createApiKey, { body: apiKeyBodyArb });
  property("revokeApiKey", RUNS.revokeApiKey, { body: ignoredBodyArb, id: keyIdArb });
  property("listJwtKeys", RUNS.listJwtKeys, {});
  property("createJwtKey", RUNS.createJwtKey, { body: ignoredBodyArb });
  property("revokeJwtKey", RUNS.revokeJwtKey, { body: ignoredBodyArb, id: kidArb });
  property("listMembers", RUNS.listMembers, {});
  property("addMember", RUNS.addMember, { body: signUpBodyArb });
  property("audit", RUNS.audit, { query: auditQueryArb });
  property("signUp", RUNS.signUp, { body: signUpBodyArb, signUp: true });

  it("answers a body over 10 MB with 413 INVALID_REQUEST on every route that reads one, and changes nothing", async () => {
    const headers = { cookie: `next-auth.session-token=${cookies.owner!}`, origin: ORIGIN };
    await fz.checkTooLarge(
      tally,
      { name: "huge", email: "huge@example.com", password: "x".repeat(fz.MAX_BODY_BYTES) },
      [
        ["POST", "/api/api-keys", headers],
        ["POST", "/api/members", headers],
        ["POST", "/api/signup", {}],
      ],
    );
  });

  it(`generated at least ${MIN_REQUESTS.toLocaleString("en")} requests`, () => {
    tally.check("account-routes", MIN_REQUESTS);
  });
});

// Found by this suite: a session cookie whose value is not valid percent-encoding made decodeURIComponent
// throw, a 500 on every route that reads the cookie (all but sign-up).
describe("regressions found by fuzzing", () => {
  it.each(["%", "%zz", "%E0%A4%A", "a%"])(
    "a session cookie %j that is not percent-encoding is a 401",
    async (value) => {
      const watch = new fz.RowWatch();
      await watch.before(false);
      for (const [method, url] of [
        ["GET", "/api/api-keys"],
        ["POST", "/api/jwt-keys"],
        ["GET", "/api/servers"],
      ] as const) {
        const res = await call(method, url, {
          headers: { cookie: `next-auth.session-token=${value}`, origin: ORIGIN },
        });
        expect(res.status, `${method} ${url}: ${res.text}`).toBe(401);
        fz.checkErrorEnvelope(res, `${method} ${url}`);
        await watch.unchanged(`${method} ${url}`);
      }
      await watch.verify();
    },
  );

  // The servers list escapes LIKE's wildcards for ?q=; the audit log passed them to Prisma as they were, so
  // "%" matched every event and "_" any character.
  it.each(["%", "_", "\\", "Audit%Seed", "Audit_Seed"])("GET /api/audit?q=%j matches the text literally", async (q) => {
    const headers = { cookie: `next-auth.session-token=${cookies.owner!}` };
    const res = await call("GET", `/api/audit?q=${encodeURIComponent(q)}`, { headers });
    expect(res.status, res.text).toBe(200);
    expect(res.body.count, res.text).toBe(0);
  });
});
