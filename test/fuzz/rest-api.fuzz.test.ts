// Property-based fuzzing of every REST route of API.md sections 1–5 with fast-check, through the real
// route handlers and database (test/route-client.ts). Each generated request gets an expectation from an
// oracle written from API.md alone (never from the product's schemas): the set of statuses the contract
// allows. Where API.md is silent (e.g. "characters" as code points or UTF-16 units, a NUL inside a
// string PostgreSQL cannot store, "?limit=05"), the oracle allows both readings; it never allows a 5xx.
//
// Properties, for every request: no 5xx; the status is one the contract allows; every non-2xx body is
// exactly `{ error: { code, message, details? } }` as application/json with a code matching the status
// (section 4); 2xx bodies have the documented shape and echo what was sent; a rejected request, a read
// or a dry run changes no row of any table; nothing pollutes Object.prototype.
//
// Reproducible: the seed is fixed (FUZZ_SEED overrides it) and printed; a failure prints fast-check's
// counterexample, seed and path. Replay one property with
//   FUZZ_SEED=<seed> npx vitest run test/fuzz/rest-api.fuzz.test.ts -t "<property name>"
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { db } from "@/server/db";
import { newId, sha256 } from "@/server/secrets";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { mintJwt, revokeJwtSigningKey } from "@/server/services/jwt-keys";
import { createJwt, createTenant } from "@/test/factories";
import { call, type ApiResponse } from "@/test/route-client";

const DEFAULT_SEED = 20_261_128;
const SEED = (() => {
  const raw = process.env.FUZZ_SEED?.trim();
  if (!raw) return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got "${raw}"`);
  return seed | 0; // fast-check seeds are 32-bit; printed as used, so a replay uses the same value
})();

/** Runs per property, sized so the file stays well under two minutes on PGlite on two cores. */
const RUNS = { create: 1_900, list: 1_400, get: 1_700, update: 1_900, remove: 1_600, rotate: 1_600 } as const;
const MIN_REQUESTS = 10_000;
const PROPERTY_TIMEOUT_MS = 600_000;

const BASE_URL = "http://switchboard.test";
const DAY_MS = 86_400_000;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

let requestsSent = 0;
const fileStarted = performance.now();

// ---------------------------------------------------------------------------------------------------
// Fixtures: credentials of every kind, and servers owned by several end users of two accounts.

type Principal = { accountId: string; userId: string; canActAsAnyUser: boolean; kind: "api_key" | "jwt" };

const SOMEONE_ELSE = "someone-else";
const JWT_USER = "jwt-end-user";

let fx: {
  accountA: string;
  userA: string;
  keyA: string;
  anyKey: string;
  revokedKey: string;
  accountB: string;
  userB: string;
  keyB: string;
  jwt: string;
  expiredJwt: string;
  revokedKidJwt: string;
  tamperedJwt: string;
  algNoneJwt: string;
};
/** Every credential that authenticates, by the exact token. */
const validTokens = new Map<string, Principal>();
/**
 * The model: every server there is, as the API's answers say. The oracle decides 200/403/404 and name
 * clashes from it, and the list and row checks compare it with the database.
 */
type ModelServer = { accountId: string; ownerUserId: string; name: string };
const model = new Map<string, ModelServer>();
/** Server ids by owner (`accountId\nuserId`), oldest first. */
const pools = new Map<string, string[]>();
const poolKey = (accountId: string, userId: string) => `${accountId}\n${userId}`;
const poolOf = (accountId: string, userId: string) => {
  const key = poolKey(accountId, userId);
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = []));
  return pool;
};

// The product logs an `unhandled error` line (to stderr, whatever LOG_LEVEL says) for every 500; a 5xx
// failure quotes it, found by the response's x-request-id.
let stderr: MockInstance<typeof process.stderr.write>;
afterAll(() => stderr.mockRestore());

function loggedError(res: ApiResponse): string {
  const requestId = res.headers.get("x-request-id");
  const line = stderr.mock.calls
    .map(([chunk]) => String(chunk))
    .find((l) => l.includes('"unhandled error"') && requestId !== null && l.includes(JSON.stringify(requestId)));
  stderr.mockClear();
  return line?.trim() ?? "(nothing logged for this request)";
}

beforeAll(async () => {
  stderr = vi.spyOn(process.stderr, "write");
  console.log(`fuzz seed ${SEED} (set FUZZ_SEED to change it)`);
  await db().$queryRaw`SELECT 1`; // open the database before the first transaction waits on it
  const a = await createTenant();
  const b = await createTenant();
  const anyKey = (await createApiKey(a.accountId, { defaultUserId: a.userId, canActAsAnyUser: true })).key;
  const revoked = await createApiKey(a.accountId, { defaultUserId: a.userId });
  await revokeApiKey(a.accountId, revoked.id);
  const { kid, token: jwt } = await createJwt(a.accountId, JWT_USER, 3_600);
  const expiredJwt = (await mintJwt(kid, JWT_USER, -3_600)).token;
  const other = await createJwt(a.accountId, JWT_USER, 3_600);
  await revokeJwtSigningKey(a.accountId, other.kid);
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
  const noneHeader = Buffer.from(JSON.stringify({ alg: "none", kid })).toString("base64url");
  fx = {
    accountA: a.accountId,
    userA: a.userId,
    keyA: a.key,
    anyKey,
    revokedKey: revoked.key,
    accountB: b.accountId,
    userB: b.userId,
    keyB: b.key,
    jwt,
    expiredJwt,
    revokedKidJwt: other.token,
    tamperedJwt: tampered,
    algNoneJwt: `${noneHeader}.${payload}.`,
  };
  validTokens.set(a.key, { accountId: a.accountId, userId: a.userId, canActAsAnyUser: false, kind: "api_key" });
  validTokens.set(anyKey, { accountId: a.accountId, userId: a.userId, canActAsAnyUser: true, kind: "api_key" });
  validTokens.set(b.key, { accountId: b.accountId, userId: b.userId, canActAsAnyUser: false, kind: "api_key" });
  validTokens.set(jwt, { accountId: a.accountId, userId: JWT_USER, canActAsAnyUser: false, kind: "jwt" });
  for (const [accountId, userId] of [
    [a.accountId, a.userId],
    [a.accountId, JWT_USER],
    [a.accountId, SOMEONE_ELSE],
    [b.accountId, b.userId],
  ] as const) {
    await replenish(accountId, userId, 3);
  }
}, 120_000);

/** Inserts a server with a token, restrictions and rows in every other per-server table (setup only). */
async function insertServer(accountId: string, userId: string) {
  const name = `pool ${newId("p").slice(-10)}`;
  const id = `pool-${newId("p").slice(-8)}`;
  const restrictionId = newId("rst");
  await db().mcpServer.create({
    data: {
      id,
      accountId,
      ownerUserId: userId,
      ownerKey: sha256(userId),
      name,
      nameKey: name.toLowerCase(),
      accessTokens: {
        create: {
          id: newId("tok"),
          tokenHash: sha256(newId("t")),
          hint: "abcd",
          expiresAt: new Date(Date.now() + 30 * DAY_MS),
        },
      },
      restrictions: { create: { id: restrictionId, dimension: "users", mode: "allowlist" } },
      restrictionValues: {
        create: [
          { id: newId("rsv"), restrictionId, list: "allowed", position: 0, value: "u1" },
          { id: newId("rsv"), restrictionId, list: "blocked", position: 0, value: "u2" },
        ],
      },
      sessions: { create: [{ id: newId("ses"), userId: "end-user" }] },
      userBindings: { create: [{ id: newId("sub"), userId: "end-user", userKey: sha256("end-user") }] },
    },
  });
  await db().toolCall.create({
    data: { id: newId("tc"), serverId: id, userId: "end-user", toolName: "slack__post", status: "ok", durationMs: 1 },
  });
  addToModel(id, { accountId, ownerUserId: userId, name });
}

function addToModel(id: string, server: ModelServer) {
  model.set(id, server);
  poolOf(server.accountId, server.ownerUserId).push(id);
}

function removeFromModel(id: string) {
  const server = model.get(id);
  if (!server) return;
  model.delete(id);
  const pool = poolOf(server.accountId, server.ownerUserId);
  pool.splice(pool.indexOf(id), 1);
}

/**
 * Keeps at least `min` servers in an owner's pool, and at most 16 so that lists stay cheap (setup,
 * outside any checked request).
 */
async function replenish(accountId: string, userId: string, min: number) {
  const pool = poolOf(accountId, userId);
  if (pool.length >= min && pool.length <= 16) return;
  await verifyWindow();
  baseline = null;
  while (pool.length < min) await insertServer(accountId, userId);
  if (pool.length > 16) {
    const drop = pool.slice(0, pool.length - 10);
    await db().mcpServer.deleteMany({ where: { id: { in: drop } } });
    drop.forEach(removeFromModel);
  }
}

// ---------------------------------------------------------------------------------------------------
// Row counts of every table: a rejected request, a read or a dry run must leave them all unchanged.

// Every table of the schema (found at run time, so a table added later is watched too) but the rate-limit
// counters, which every request writes on PostgreSQL, and the migration log.
const REQUIRED_TABLES = [
  "Account",
  "User",
  "ApiKey",
  "JwtSigningKey",
  "McpServer",
  "ServerAccessToken",
  "ServerRestriction",
  "ServerRestrictionValue",
  "McpSession",
  "ToolCall",
  "ServerUserBinding",
  "AuditEvent",
];
let countSql = "";

async function snapshot() {
  if (!countSql) {
    const tables = (
      await db().$queryRaw<{ name: string }[]>`
        SELECT tablename::text AS name FROM pg_tables
        WHERE schemaname = current_schema() AND tablename NOT IN ('rate_limits', '_prisma_migrations')
        ORDER BY 1`
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
    countSql = `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(", ")}`;
  }
  return (await db().$queryRawUnsafe<Record<string, number>[]>(countSql))[0]!;
}
/** The counts as of the last check; null after a change we made or accepted. */
let baseline: Record<string, number> | null = null;
/**
 * The rejected, read-only and dry-run requests sent since `baseline` was taken. One query per batch
 * instead of one per request keeps the file fast; a request that may change rows is always preceded
 * by a check, so a batch never contains a legitimate change.
 */
let unverified: string[] = [];
const BATCH = 40;

async function verifyWindow() {
  if (!unverified.length) return;
  const requests = unverified;
  unverified = [];
  const now = await snapshot();
  expect(
    now,
    `rows changed during one of these ${requests.length} rejected or read-only requests:\n${requests.join("\n---\n")}`,
  ).toEqual(baseline);
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join();

// ---------------------------------------------------------------------------------------------------
// Generators.

/** What a header value looks like after Node's HTTP parser: the UTF-8 bytes read as latin1, no CR/LF/NUL. */
const headerSafe = (s: string) =>
  Buffer.from(s, "utf8")
    .toString("latin1")
    .replace(/[\0\r\n]/g, "");

const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085"];
const INVISIBLE = ["\u00a0", "\u200b", "\u200e", "\u202e", "\u2028", "\ufeff", "\ufffe", "\ud800", "\udfff"];
const UNICODE = ["é", "e\u0301", "Ω", "日本", "𝐀", "😀", "👩‍👩‍👧", "ﷺ", "١٢٣", "½", "Ⅻ", "ß", "İ", "ǅ", "Ａ", "ᄀ", "ª"];

const mixedString = fc
  .array(fc.constantFrom(...CONTROL, ...INVISIBLE, ...UNICODE, "a", "Z", "0", " ", "-", "_", "%", "\\", '"'), {
    maxLength: 8,
  })
  .map((parts) => parts.join(""));
const longString = fc
  .tuple(
    fc.constantFrom("a", "é", "𝐀", " ", "\u0000", "-", "%"),
    fc.constantFrom(99, 100, 101, 9_999, 10_000, 10_001, 20_000),
  )
  .map(([c, n]) => c.repeat(n));
const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 4, arbitrary: mixedString },
  { weight: 1, arbitrary: longString },
);
const shortString = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: "binary", maxLength: 20 }), mixedString);

const withOwn = (target: Record<string, unknown>, key: string, value: unknown) => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
};
const jsonRoundTrip = (value: unknown): unknown => {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
};

// --- headers

const INVALID_CREDENTIALS = [
  "none",
  "revokedKey",
  "expiredJwt",
  "revokedKidJwt",
  "tamperedJwt",
  "algNoneJwt",
  "noPrefix",
  "basic",
  "bearerOnly",
  "keyPlusSuffix",
  "truncatedKey",
  "garbage",
  "bearerGarbage",
  "keyAsUserToken",
  "garbageUserToken",
  "garbageAuthzValidUserToken",
  "emptyAuthz",
] as const;
// Forms API.md does not settle: a lower-case scheme, extra blanks, or two credentials at once.
const AMBIGUOUS_CREDENTIALS = [
  "lowerBearer",
  "doubleSpace",
  "tabSeparated",
  "keyAndGarbageUserToken",
  "keyAndJwt",
] as const;
type Credential =
  | "key"
  | "anyKey"
  | "jwtBearer"
  | "jwtHeader"
  | "jwtHeaderPadded"
  | "keyB"
  | (typeof INVALID_CREDENTIALS)[number]
  | (typeof AMBIGUOUS_CREDENTIALS)[number];

const credentialArb: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 62, arbitrary: fc.constant("key" as const) },
  { weight: 7, arbitrary: fc.constant("anyKey" as const) },
  { weight: 5, arbitrary: fc.constantFrom("jwtBearer" as const, "jwtHeader" as const, "jwtHeaderPadded" as const) },
  { weight: 3, arbitrary: fc.constant("keyB" as const) },
  { weight: 18, arbitrary: fc.constantFrom(...INVALID_CREDENTIALS) },
  { weight: 5, arbitrary: fc.constantFrom(...AMBIGUOUS_CREDENTIALS) },
);

type UserIdSpec = {
  kind: "self" | "empty" | "spaces" | "someoneElse" | "jwtUser" | "len10000" | "len10001" | "random";
};
const userIdArb: fc.Arbitrary<UserIdSpec & { value?: string }> = fc.oneof(
  fc.constantFrom<UserIdSpec>(
    { kind: "self" },
    { kind: "empty" },
    { kind: "spaces" },
    { kind: "someoneElse" },
    { kind: "jwtUser" },
    { kind: "len10000" },
    { kind: "len10001" },
  ),
  anyString.map((value) => ({ kind: "random" as const, value })),
);

const extraHeadersArb = fc.record(
  {
    "content-type": fc.constantFrom(
      "application/json",
      "application/json; charset=latin1",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
      "garbage/\u00ff",
    ),
    "x-request-id": shortString,
    cookie: fc.oneof(
      shortString,
      shortString.map((v) => `next-auth.session-token=${v}`),
    ),
    origin: fc.constantFrom("http://switchboard.test", "https://evil.example", "null"),
    accept: fc.constantFrom("*/*", "text/html", "application/xml", "text/event-stream"),
  },
  { requiredKeys: [] },
);

const headersArb = fc.record({
  credential: credentialArb,
  garbage: anyString,
  userId: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: userIdArb }),
  extra: extraHeadersArb,
});
type HeaderSpec = typeof headersArb extends fc.Arbitrary<infer T> ? T : never;

function resolveHeaders(spec: HeaderSpec, bodyBytes: number | null): Record<string, string> {
  const h: Record<string, string> = {};
  const junk = headerSafe(spec.garbage);
  const set = (name: string, value: string) => (h[name] = headerSafe(value));
  switch (spec.credential) {
    case "key":
      set("authorization", `Bearer ${fx.keyA}`);
      break;
    case "anyKey":
      set("authorization", `Bearer ${fx.anyKey}`);
      break;
    case "keyB":
      set("authorization", `Bearer ${fx.keyB}`);
      break;
    case "jwtBearer":
      set("authorization", `Bearer ${fx.jwt}`);
      break;
    case "jwtHeader":
      set("x-alloy-user-token", fx.jwt);
      break;
    case "jwtHeaderPadded":
      set("x-alloy-user-token", `  ${fx.jwt}\t`);
      break;
    case "none":
      break;
    case "revokedKey":
      set("authorization", `Bearer ${fx.revokedKey}`);
      break;
    case "expiredJwt":
      set("authorization", `Bearer ${fx.expiredJwt}`);
      break;
    case "revokedKidJwt":
      set("x-alloy-user-token", fx.revokedKidJwt);
      break;
    case "tamperedJwt":
      set("authorization", `Bearer ${fx.tamperedJwt}`);
      break;
    case "algNoneJwt":
      set("authorization", `Bearer ${fx.algNoneJwt}`);
      break;
    case "noPrefix":
      set("authorization", fx.keyA);
      break;
    case "basic":
      set("authorization", `Basic ${Buffer.from(`${fx.keyA}:`).toString("base64")}`);
      break;
    case "bearerOnly":
      set("authorization", "Bearer ");
      break;
    case "keyPlusSuffix":
      set("authorization", `Bearer ${fx.keyA}x`);
      break;
    case "truncatedKey":
      set("authorization", `Bearer ${fx.keyA.slice(0, -1)}`);
      break;
    case "garbage":
      set("authorization", junk);
      break;
    case "bearerGarbage":
      set("authorization", `Bearer ${junk}`);
      break;
    case "keyAsUserToken":
      set("x-alloy-user-token", fx.keyA);
      break;
    case "garbageUserToken":
      set("x-alloy-user-token", junk || "x");
      break;
    case "garbageAuthzValidUserToken":
      set("authorization", `Bearer ${junk || "x"}`);
      set("x-alloy-user-token", fx.jwt);
      break;
    case "emptyAuthz":
      set("authorization", "");
      break;
    case "lowerBearer":
      set("authorization", `bearer ${fx.keyA}`);
      break;
    case "doubleSpace":
      set("authorization", `Bearer  ${fx.keyA}`);
      break;
    case "tabSeparated":
      set("authorization", `Bearer\t${fx.keyA}`);
      break;
    case "keyAndGarbageUserToken":
      set("authorization", `Bearer ${fx.keyA}`);
      set("x-alloy-user-token", junk || "x");
      break;
    case "keyAndJwt":
      set("authorization", `Bearer ${fx.keyA}`);
      set("x-alloy-user-token", fx.jwt);
      break;
    default:
      throw new Error(`unknown credential ${String(spec.credential)}`);
  }
  if (spec.userId) {
    const values: Record<UserIdSpec["kind"], string> = {
      self: spec.credential.startsWith("jwt") ? JWT_USER : spec.credential === "keyB" ? fx.userB : fx.userA,
      empty: "",
      spaces: "   ",
      someoneElse: SOMEONE_ELSE,
      jwtUser: JWT_USER,
      len10000: "u".repeat(10_000),
      len10001: "u".repeat(10_001),
      random: spec.userId.value ?? "",
    };
    set("x-alloy-userid", values[spec.userId.kind]);
  }
  for (const [name, value] of Object.entries(spec.extra)) set(name, value);
  // A real client sends the true length of its body; the in-process Request has no such header.
  if (bodyBytes !== null && spec.extra["content-type"] === "application/json") h["content-length"] = String(bodyBytes);
  return h;
}

// --- query strings

const limitValueArb = fc.oneof(
  fc.integer({ min: 1, max: 1_000 }).map(String),
  fc.constantFrom("0", "1", "1000", "1001", "-1", "abc", "", "1.5", "5.0", " 5", "05", "+5", "1e2", "0x10", "NaN"),
  fc.constantFrom("Infinity", "9007199254740993", "99999999999999999999999", "٣", "１", "2147483648", "5%00"),
  shortString,
);
const offsetValueArb = fc.oneof(
  fc.integer({ min: 0, max: 200 }).map(String),
  fc.constantFrom("0", "-1", "-0", "1.5", "", "abc", "3000000000", "9007199254740991", "9007199254740992", "1e3"),
  shortString,
);
const qValueArb = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("pool", "POOL", "alpha", "%", "_", "\\", "%_%", "'", '"', "\u0000", "a\u0000b", "x".repeat(101)),
  anyString,
);
const dryRunValueArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant("true") },
  { weight: 2, arbitrary: fc.constant("false") },
  { weight: 3, arbitrary: fc.constantFrom("TRUE", "True", "1", "0", "yes", "no", "", " true") },
  { weight: 2, arbitrary: shortString },
);
const junkParamArb = fc.tuple(fc.constantFrom("limit", "offset", "q", "dryRun", "foo", "", "__proto__"), shortString);

type QuerySpec = { kind: "params"; entries: [string, string][] } | { kind: "raw"; raw: string };
const paramsQuery = (
  record: fc.Arbitrary<Partial<Record<string, string>>>,
  junkWeight: number,
): fc.Arbitrary<QuerySpec> =>
  fc.tuple(record, fc.array(junkParamArb, { maxLength: 2 }), fc.nat(junkWeight)).map(([known, junk, keepJunk]) => ({
    kind: "params" as const,
    entries: [
      ...Object.entries(known).filter((e): e is [string, string] => e[1] !== undefined),
      ...(keepJunk === 0 ? junk : []),
    ],
  }));
const rawQuery: fc.Arbitrary<QuerySpec> = fc
  .oneof(fc.string(), fc.string({ unit: "grapheme", maxLength: 30 }), mixedString)
  .map((raw) => ({ kind: "raw" as const, raw }));

const listQueryArb = fc.oneof(
  {
    weight: 9,
    arbitrary: paramsQuery(
      fc.record({ limit: limitValueArb, offset: offsetValueArb, q: qValueArb }, { requiredKeys: [] }),
      3,
    ),
  },
  { weight: 1, arbitrary: rawQuery },
);
const deleteQueryArb = fc.oneof(
  { weight: 9, arbitrary: paramsQuery(fc.record({ dryRun: dryRunValueArb }, { requiredKeys: [] }), 3) },
  { weight: 1, arbitrary: rawQuery },
);
const otherQueryArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<QuerySpec>({ kind: "params", entries: [] }) },
  { weight: 1, arbitrary: paramsQuery(fc.constant({}), 0) },
  { weight: 1, arbitrary: rawQuery },
);

const queryString = (q: QuerySpec) =>
  q.kind === "raw" ? (q.raw === "" ? "" : `?${q.raw}`) : q.entries.length ? `?${new URLSearchParams(q.entries)}` : "";

// --- path ids

type IdSpec =
  | { kind: "pool"; pool: "mine" | "userA" | "jwtUser" | "otherUser" | "accountB"; index: number; variant: string }
  | { kind: "raw"; id: string };

const hasLoneSurrogate = (s: string) => /[\uD800-\uDFFF]/u.test(s);
const rawIdArb = fc
  .oneof(
    anyString,
    fc.constantFrom("%", "%25", "%zz", "%00", "..%2F", "a/b", "a?b", "a#b", " ", "null", "0", "-1", "NaN"),
    fc.constantFrom("__proto__", "constructor", "server", "😀-12345678", "ÄBC-1234abcd", "a".repeat(5_000)),
  )
  .filter((id) => id !== "" && id !== "." && id !== ".." && !hasLoneSurrogate(id));
const idArb: fc.Arbitrary<IdSpec> = fc.oneof(
  {
    weight: 62,
    arbitrary: fc.record({
      kind: fc.constant("pool" as const),
      pool: fc.constantFrom("mine", "mine", "mine", "mine", "userA", "jwtUser", "otherUser", "accountB"),
      index: fc.nat(1_000),
      variant: fc.oneof(
        { weight: 10, arbitrary: fc.constant("exact") },
        { weight: 1, arbitrary: fc.constantFrom("upper", "suffix", "prefix", "space", "truncated", "pctEncoded") },
      ),
    }),
  },
  {
    weight: 12,
    arbitrary: fc.stringMatching(/^[a-z0-9-]{1,41}-[0-9a-f]{8}$/).map((id) => ({ kind: "raw" as const, id })),
  },
  { weight: 26, arbitrary: rawIdArb.map((id) => ({ kind: "raw" as const, id })) },
);

// --- bodies

type BodySpec = { kind: "none" } | { kind: "text"; text: string };

const namePool = ["alpha", "Alpha", "ALPHA", "beta", "Gamma Ray", "delta-1", "eps_2", "日本語", "Ünïcode Ñame", "x"];
const validNameArb = fc.oneof(
  fc.constantFrom(...namePool),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,20}[A-Za-z0-9]$/),
  fc.stringMatching(/^[a-z]{1,8}$/),
);
const plainTextArb = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }));
const listItemArb = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_:]{0,12}$/), fc.string({ minLength: 1, maxLength: 10 }));
const listArb = fc.array(listItemArb, { maxLength: 5 });
const modeArb = fc.constantFrom("allowlist", "blocklist");
const idPartArb = fc.record({ mode: modeArb, allowedIds: listArb, blockedIds: listArb }, { requiredKeys: ["mode"] });
const actionPartArb = fc.record(
  { mode: modeArb, allowedActions: listArb, blockedActions: listArb },
  { requiredKeys: ["mode"] },
);
const restrictionsArb = fc.record(
  { connectors: idPartArb, actions: actionPartArb, users: idPartArb },
  { requiredKeys: [] },
);
const validCreateArb = fc.record(
  {
    name: validNameArb,
    description: plainTextArb,
    customInstructions: plainTextArb,
    isPublic: fc.boolean(),
    tokenExpiresInDays: fc.integer({ min: 1, max: 365 }),
    restrictions: restrictionsArb,
  },
  { requiredKeys: ["name"] },
);
const validUpdateArb = fc.record(
  {
    name: validNameArb,
    description: plainTextArb,
    customInstructions: plainTextArb,
    isPublic: fc.boolean(),
    restrictions: restrictionsArb,
  },
  { requiredKeys: [] },
);
const validRotateArb = fc.record(
  { tokenExpiresInDays: fc.integer({ min: 1, max: 365 }), graceSeconds: fc.integer({ min: 0, max: 86_400 }) },
  { requiredKeys: [] },
);

const bigArrayArb = fc
  .tuple(fc.constantFrom(999, 1_000, 1_001, 5_000), fc.constantFrom<unknown>("x", "", 1, null, ["x"]))
  .map(([n, item]) => Array.from({ length: n }, (_, i) => (item === "x" ? `x${i}` : item)));
const protoObjectArb = fc
  .constantFrom("__proto__", "constructor", "prototype")
  .map((key) => withOwn({}, key, { polluted: true, prototype: { polluted: true } }));
const badValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, 1, -1, 1.5, 0.1, 90, 365, 366, 86_400, 86_401, 2 ** 31),
  fc.constantFrom<unknown>(
    2 ** 53,
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
    "",
    " ",
    "true",
    "90",
    "allowlist",
    "BLOCKLIST",
  ),
  fc.constantFrom<unknown>([], {}, [null], [""], ["a"], [[]], { mode: "allowlist" }, { mode: "denylist" }),
  anyString,
  bigArrayArb,
  fc.jsonValue({ maxDepth: 3 }),
  fc.object({ maxDepth: 2 }).map(jsonRoundTrip),
  protoObjectArb,
);
const RAW_NUMBERS = ["1e400", "-1e400", "1.0", "30.0", "3e1", "1E1", "-0", "0e0", "365.0000000000001"];
const RAW_NUMBERS_INVALID_JSON = ["00030", "+5", ".5", "NaN", "Infinity", "0x10", "1_000"];
const rawNumberArb = fc.constantFrom(...RAW_NUMBERS, ...RAW_NUMBERS_INVALID_JSON, "364.99999999999999999", "1e-400");

const SERVER_PATHS = [
  ["name"],
  ["description"],
  ["customInstructions"],
  ["isPublic"],
  ["restrictions"],
  ["restrictions", "connectors"],
  ["restrictions", "actions"],
  ["restrictions", "users"],
  ["restrictions", "users", "mode"],
  ["restrictions", "users", "allowedIds"],
  ["restrictions", "connectors", "blockedIds"],
  ["restrictions", "actions", "allowedActions"],
  ["restrictions", "actions", "blockedActions"],
  ["restrictions", "connectors", "allowedActions"],
  ["restrictions", "users", "__proto__"],
  ["restrictions", "__proto__"],
  ["restrictions", "tools"],
  ["__proto__"],
  ["constructor"],
  ["prototype"],
  ["extra"],
  ["Name"],
  ["serverId"],
  ["accessToken"],
  ["mode"],
  ["name "],
];
const CREATE_PATHS = [...SERVER_PATHS, ["tokenExpiresInDays"], ["graceSeconds"]];
const UPDATE_PATHS = [...SERVER_PATHS, ["tokenExpiresInDays"]];
const ROTATE_PATHS = [["tokenExpiresInDays"], ["graceSeconds"], ["__proto__"], ["constructor"], ["name"], ["extra"]];

type Mutation =
  | { op: "set"; path: string[]; value: unknown }
  | { op: "delete"; path: string[] }
  | { op: "rawNumber"; path: string[]; literal: string };

const mutationArb = (paths: string[][]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ op: fc.constant("set" as const), path: fc.constantFrom(...paths), value: badValueArb }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), path: fc.constantFrom(...paths) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("rawNumber" as const),
        path: fc.constantFrom(...paths),
        literal: rawNumberArb,
      }),
    },
  );

const RAW_SENTINEL = "\u0001RAW-NUMBER\u0001";

function applyMutation(base: Record<string, unknown>, m: Mutation): string {
  const body = structuredClone(base);
  let target: Record<string, unknown> = body;
  for (const key of m.path.slice(0, -1)) {
    const next = Object.hasOwn(target, key) ? target[key] : undefined;
    if (typeof next === "object" && next !== null && !Array.isArray(next)) target = next as Record<string, unknown>;
    else target = withOwn(target, key, {})[key] as Record<string, unknown>;
  }
  const last = m.path.at(-1)!;
  if (m.op === "delete") delete target[last];
  else withOwn(target, last, m.op === "set" ? m.value : RAW_SENTINEL);
  const text = JSON.stringify(body);
  return m.op === "rawNumber" ? text.replace(JSON.stringify(RAW_SENTINEL), m.literal) : text;
}

const RAW_BODIES = [
  "{",
  "}",
  "[",
  '{"name":',
  "{'name':'x'}",
  '{name: "x"}',
  '{"name":"x",}',
  "undefined",
  "NaN",
  '\uFEFF{"name":"bom"}',
  '{"name":"x"}garbage',
  "null",
  "true",
  "0",
  '"str"',
  "[]",
  "{}",
  " ",
  "\n\t ",
  '{"name":"a"}{"name":"b"}',
  '{"name":"dup","name":"dup2"}',
  '{"__proto__":{"polluted":true},"name":"proto"}',
  '{"constructor":{"prototype":{"polluted":true}},"name":"ctor"}',
  `{"name":"deep","description":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
  '{"name":"nul\\u0000"}',
  '{"name":"ok","description":"\\ud800"}',
  '{"name":"ok","description":"\\u0000"}',
];

const bodyArb = (
  valid: fc.Arbitrary<Record<string, unknown>>,
  paths: string[][],
  validWeight: number,
): fc.Arbitrary<BodySpec> => {
  const text = (t: fc.Arbitrary<string>) => t.map((value) => ({ kind: "text" as const, text: value }));
  return fc.oneof(
    { weight: validWeight, arbitrary: text(valid.map((v) => JSON.stringify(v))) },
    { weight: 40, arbitrary: text(fc.tuple(valid, mutationArb(paths)).map(([base, m]) => applyMutation(base, m))) },
    { weight: 8, arbitrary: text(fc.jsonValue().map((v) => JSON.stringify(v))) },
    {
      weight: 8,
      arbitrary: text(
        fc
          .anything({ maxDepth: 3, withNullPrototype: true })
          .map((v) => {
            try {
              return JSON.stringify(v);
            } catch {
              return undefined;
            }
          })
          .filter((t): t is string => typeof t === "string"),
      ),
    },
    {
      weight: 8,
      arbitrary: text(
        fc
          .record(
            Object.fromEntries(paths.filter((p) => p.length === 1).map((p) => [p[0]!, fc.jsonValue({ maxDepth: 2 })])),
            { requiredKeys: [] },
          )
          .map((v) => JSON.stringify(v)),
      ),
    },
    { weight: 6, arbitrary: text(fc.constantFrom(...RAW_BODIES)) },
    { weight: 5, arbitrary: text(anyString) },
    {
      weight: 3,
      arbitrary: text(fc.tuple(valid, fc.nat()).map(([v, cut]) => JSON.stringify(v).slice(0, -1 - (cut % 5)))),
    },
    { weight: 4, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
  );
};

const createBodyArb = bodyArb(validCreateArb, CREATE_PATHS, 22);
const updateBodyArb = bodyArb(validUpdateArb, UPDATE_PATHS, 40);
const rotateBodyArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
  { weight: 8, arbitrary: bodyArb(validRotateArb, ROTATE_PATHS, 18) },
);
const deleteBodyArb = fc.oneof(
  { weight: 9, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
  { weight: 1, arbitrary: bodyArb(validCreateArb, CREATE_PATHS, 18) },
);

// ---------------------------------------------------------------------------------------------------
// The oracle: what API.md allows for a request. "ambiguous" marks what the contract leaves open.

type Verdict = "valid" | "ambiguous" | "invalid";
const worst = (verdicts: Verdict[]): Verdict =>
  verdicts.includes("invalid") ? "invalid" : verdicts.includes("ambiguous") ? "ambiguous" : "valid";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const codePoints = (s: string) => [...s].length;
/** PostgreSQL text cannot hold NUL, and a lone surrogate is no Unicode: either may be refused with a 400. */
const storable = (s: string) => !s.includes("\u0000") && !hasLoneSurrogate(s);

/** "strings up to N characters": over N code points is too long; over N UTF-16 units is open. */
function textVerdict(v: unknown, max = 10_000): Verdict {
  if (typeof v !== "string") return "invalid";
  if (codePoints(v) > max) return "invalid";
  return v.length > max || !storable(v) ? "ambiguous" : "valid";
}

/** 1–100 characters, starts and ends with a letter or digit, inside also space, "-", "_". */
function nameVerdict(v: unknown): Verdict {
  if (typeof v !== "string") return "invalid";
  const chars = [...v];
  if (chars.length < 1 || chars.length > 100) return "invalid";
  // Marks and non-decimal numbers (é as e + U+0301, "½", "Ⅻ"): whether they are letters or digits is open.
  const charVerdict = (c: string, inner: boolean): Verdict =>
    /^[\p{L}\p{Nd}]$/u.test(c) || (inner && /^[ _-]$/.test(c))
      ? "valid"
      : /^[\p{M}\p{Nl}\p{No}]$/u.test(c)
        ? "ambiguous"
        : "invalid";
  return worst([
    charVerdict(chars[0]!, false),
    charVerdict(chars.at(-1)!, false),
    ...chars.slice(1, -1).map((c) => charVerdict(c, true)),
    v.length > 100 ? "ambiguous" : "valid",
  ]);
}

const LISTS = {
  connectors: ["allowedIds", "blockedIds"],
  actions: ["allowedActions", "blockedActions"],
  users: ["allowedIds", "blockedIds"],
} as const;
type Dimension = keyof typeof LISTS;

function restrictionsVerdict(v: unknown): Verdict {
  if (!isObject(v)) return "invalid";
  const verdicts: Verdict[] = [];
  for (const [dimension, part] of Object.entries(v)) {
    if (!Object.hasOwn(LISTS, dimension) || !isObject(part)) return "invalid";
    const lists: readonly string[] = LISTS[dimension as Dimension];
    for (const [key, value] of Object.entries(part)) {
      if (key === "mode") {
        if (value !== "allowlist" && value !== "blocklist") return "invalid";
      } else if (lists.includes(key)) {
        if (!Array.isArray(value) || value.length > 1_000) return "invalid";
        for (const item of value) {
          if (typeof item !== "string") return "invalid";
          // API.md bounds neither the length nor the emptiness of one value.
          verdicts.push(item === "" || item.length > 10_000 || !storable(item) ? "ambiguous" : "valid");
        }
      } else {
        return "invalid"; // an unknown field, also inside restrictions
      }
    }
    if (!Object.hasOwn(part, "mode")) verdicts.push("ambiguous"); // "every part optional": the mode too?
  }
  return worst(verdicts);
}

const daysVerdict = (v: unknown): Verdict =>
  typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 365 ? "valid" : "invalid";
const graceVerdict = (v: unknown): Verdict =>
  typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 86_400
    ? "invalid"
    : Number.isInteger(v)
      ? "valid"
      : "ambiguous"; // API.md says 0–86400, not "integer"

type FieldRule = (v: unknown) => Verdict;
const SERVER_FIELDS: Record<string, FieldRule> = {
  name: nameVerdict,
  description: textVerdict,
  customInstructions: textVerdict,
  isPublic: (v) => (typeof v === "boolean" ? "valid" : "invalid"),
  restrictions: restrictionsVerdict,
};
const FIELDS: Record<"create" | "update" | "rotate", Record<string, FieldRule>> = {
  create: { ...SERVER_FIELDS, tokenExpiresInDays: daysVerdict },
  update: SERVER_FIELDS,
  rotate: { tokenExpiresInDays: daysVerdict, graceSeconds: graceVerdict },
};

type BodyOutcome = { verdict: Verdict; value: Record<string, unknown>; blamed: string[]; jsonObject: boolean };

function bodyOutcome(kind: keyof typeof FIELDS, body: BodySpec): BodyOutcome {
  const invalid = (blamed: string[] = []): BodyOutcome => ({
    verdict: "invalid",
    value: {},
    blamed,
    jsonObject: false,
  });
  const text = body.kind === "text" ? body.text : "";
  if (text.trim() === "") {
    // Rotation's body is optional: no body is `{}`; a blank one is open. Elsewhere a body is required.
    if (kind !== "rotate") return invalid();
    return { verdict: text === "" ? "valid" : "ambiguous", value: {}, blamed: [], jsonObject: false };
  }
  let value: unknown;
  let bom = false;
  try {
    value = JSON.parse(text);
  } catch {
    if (!text.startsWith("\uFEFF")) return invalid();
    try {
      value = JSON.parse(text.slice(1)); // RFC 8259: a parser MAY ignore a byte order mark
      bom = true;
    } catch {
      return invalid();
    }
  }
  if (!isObject(value)) return invalid(["(root)"]);
  const rules = FIELDS[kind];
  const verdicts: Verdict[] = [];
  const blamed: string[] = [];
  for (const [key, fieldValue] of Object.entries(value)) {
    const verdict = Object.hasOwn(rules, key) ? rules[key]!(fieldValue) : "invalid";
    verdicts.push(verdict);
    if (verdict === "invalid") blamed.push(key);
  }
  if (kind === "create" && !Object.hasOwn(value, "name")) {
    verdicts.push("invalid");
    blamed.push("name");
  }
  let verdict = worst(verdicts);
  if (bom && verdict === "valid") verdict = "ambiguous";
  return { verdict, value, blamed: bom ? [] : blamed, jsonObject: !bom };
}

type QueryOutcome = {
  verdict: Verdict;
  blamed: string[];
  limit?: number;
  offset?: number;
  q?: string;
  dryRun?: boolean;
};

function queryOutcome(kind: "list" | "delete", params: URLSearchParams): QueryOutcome {
  const verdicts: Verdict[] = [];
  const blamed: string[] = [];
  const out: QueryOutcome = { verdict: "valid", blamed };
  const judge = (key: string, fn: (value: string) => Verdict) => {
    const values = params.getAll(key);
    if (values.length === 0) return;
    // A repeated parameter is open; otherwise judge the one value.
    const verdict = values.length > 1 ? "ambiguous" : fn(values[0]!);
    verdicts.push(verdict);
    if (verdict === "invalid") blamed.push(key);
  };
  const integer = (value: string, min: number, max: number): Verdict => {
    if (/^(0|[1-9]\d*)$/.test(value)) {
      const n = Number(value);
      if (n >= min && n <= max) return "valid";
      return n > Number.MAX_SAFE_INTEGER && min === 0 ? "ambiguous" : "invalid"; // no maximum offset in API.md
    }
    // "05", "5.0", "1e2", " 5", "", "0x10": numbers, but not the canonical form.
    const n = Number(value);
    return Number.isInteger(n) && n >= min && n <= max ? "ambiguous" : value === "" ? "ambiguous" : "invalid";
  };
  if (kind === "list") {
    judge("limit", (v) => integer(v, 1, 1_000));
    judge("offset", (v) => integer(v, 0, Number.MAX_SAFE_INTEGER));
    judge("q", (v) => (v.length <= 100 && storable(v) ? "valid" : "ambiguous")); // API.md bounds no q
    out.limit = params.has("limit") ? Number(params.get("limit")) : 50;
    out.offset = params.has("offset") ? Number(params.get("offset")) : 0;
    out.q = params.get("q") ?? undefined;
  } else {
    judge("dryRun", (v) =>
      v === "true" || v === "false" ? "valid" : /^(true|false|1|0|yes|no|)$/i.test(v.trim()) ? "ambiguous" : "invalid",
    );
    out.dryRun = params.get("dryRun") === "true";
  }
  out.verdict = worst(verdicts);
  return out;
}

type AuthOutcome = { principal?: Principal; statuses: Set<number>; also401: boolean; userIdTooLong?: boolean };

/** API.md section 2, on the headers as the server sees them. */
function authOutcome(headers: Headers): AuthOutcome {
  const authorization = headers.get("authorization");
  const userToken = headers.get("x-alloy-user-token");
  let principal: Principal | undefined;
  let also401 = false;
  if (authorization !== null) {
    const strict = /^Bearer (\S+)$/.exec(authorization);
    principal = strict ? validTokens.get(strict[1]!) : undefined;
    if (!principal) {
      const lenient = /^bearer[ \t]+(\S+)$/i.exec(authorization);
      principal = lenient ? validTokens.get(lenient[1]!) : undefined;
      also401 = principal !== undefined;
    }
    // A second credential that is bad or different: which one wins is open.
    if (principal && userToken && validTokens.get(userToken) !== principal) also401 = true;
  } else if (userToken) {
    const candidate = validTokens.get(userToken);
    principal = candidate?.kind === "jwt" ? candidate : undefined;
  }
  if (!principal) return { statuses: new Set([401]), also401: false };

  const requested = headers.get("x-alloy-userid");
  if (requested === null || requested === "" || requested === principal.userId) {
    return { principal, statuses: new Set(), also401 };
  }
  const tooLong = codePoints(requested) > 10_000;
  if (!principal.canActAsAnyUser) return { statuses: new Set(tooLong ? [400, 403] : [403]), also401 };
  if (tooLong) return { statuses: new Set([400]), also401, userIdTooLong: true };
  return { principal: { ...principal, userId: requested }, statuses: new Set(), also401 };
}

type IdState = "own" | "forbidden" | "missing";
/** Section 1: another account's server is reported like a missing one; another end user's is 403. */
function idState(principal: Principal, id: string): { state: IdState; name?: string } {
  const server = model.get(id);
  if (!server || server.accountId !== principal.accountId) return { state: "missing" };
  return { state: server.ownerUserId === principal.userId ? "own" : "forbidden", name: server.name };
}

const STATUS_OF: Record<IdState, number> = { own: 200, forbidden: 403, missing: 404 };

const ownerServers = (p: Principal) =>
  db().$queryRaw<{ id: string; name: string; createdAt: Date }[]>`
    SELECT id, name, "createdAt" FROM "McpServer" WHERE "accountId" = ${p.accountId} AND "ownerUserId" = ${p.userId}`;

/** "unique per account and owner, case-insensitive": equal lower-cased is a clash; other foldings are open. */
function nameClash(p: Principal, name: string, exceptId?: string): "yes" | "no" | "maybe" {
  const others = poolOf(p.accountId, p.userId)
    .filter((id) => id !== exceptId)
    .map((id) => model.get(id)!.name);
  if (others.some((other) => other.toLowerCase() === name.toLowerCase())) return "yes";
  const folds = (s: string) => [s.toUpperCase(), s.normalize("NFKC").toLowerCase(), s.normalize("NFKC").toUpperCase()];
  const mine = folds(name);
  return others.some((other) => folds(other).some((f, i) => f === mine[i])) ? "maybe" : "no";
}

// ---------------------------------------------------------------------------------------------------
// Checking one response.

const CODE_STATUSES: Record<string, number[]> = {
  INVALID_REQUEST: [400, 413],
  UNAUTHORIZED: [401],
  FORBIDDEN: [403],
  NOT_FOUND: [404],
  CONNECTOR_NOT_FOUND: [404],
  ACTION_NOT_FOUND: [404],
  CONFLICT: [409],
  RATE_LIMITED: [429],
  CREDENTIAL_NOT_FOUND: [400],
  INTERNAL_ERROR: [500],
};

function checkErrorEnvelope(res: ApiResponse, ctx: string) {
  expect(res.headers.get("content-type"), ctx).toMatch(/^application\/json\b/);
  expect(isObject(res.body) && Object.keys(res.body), ctx).toEqual(["error"]);
  const error = res.body.error;
  expect(isObject(error), ctx).toBe(true);
  for (const key of Object.keys(error)) expect(["code", "message", "details"], ctx).toContain(key);
  expect(typeof error.code, ctx).toBe("string");
  expect(typeof error.message, ctx).toBe("string");
  expect(error.message.length, ctx).toBeGreaterThan(0);
  if ("details" in error) expect(isObject(error.details), ctx).toBe(true);
  expect(CODE_STATUSES[error.code as string] ?? [], `${ctx}\ncode ${error.code} with status ${res.status}`).toContain(
    res.status,
  );
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const SERVER_KEYS = [
  "serverId",
  "name",
  "description",
  "customInstructions",
  "mode",
  "isPublic",
  "url",
  "restrictions",
  "hasRestrictions",
  "tokenExpiresAt",
  "tokenHint",
  "createdAt",
  "updatedAt",
];

/** API.md section 3: the serverId derives from the name (with or without the leading/trailing "-"). */
function slugCandidates(name: string): string[] {
  const runs = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const literal = runs.slice(0, 40) || "server";
  const trimmed = runs.replace(/^-+/, "").slice(0, 40).replace(/-+$/, "") || "server";
  return [literal, trimmed];
}

function checkServerObject(s: any, withToken: boolean, ctx: string) {
  expect(Object.keys(s).sort(), ctx).toEqual(
    [...SERVER_KEYS, ...(withToken ? ["accessToken", "accessUrl"] : [])].sort(),
  );
  expect(s.serverId, ctx).toMatch(/^[a-z0-9-]{1,40}-[0-9a-f]{8}$/);
  for (const key of ["name", "description", "customInstructions", "tokenHint"])
    expect(typeof s[key], ctx).toBe("string");
  expect(s.mode, ctx).toBe("connectivity");
  expect(typeof s.isPublic, ctx).toBe("boolean");
  expect(s.url, ctx).toBe(`${BASE_URL}/mcp/${s.serverId}`);
  for (const key of ["tokenExpiresAt", "createdAt", "updatedAt"]) expect(s[key], ctx).toMatch(ISO);
  expect(Date.parse(s.updatedAt), ctx).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
  expect(isObject(s.restrictions), ctx).toBe(true);
  for (const [dimension, part] of Object.entries<any>(s.restrictions)) {
    const lists = LISTS[dimension as Dimension];
    expect(lists, ctx).toBeDefined();
    expect(Object.keys(part).sort(), ctx).toEqual(["mode", ...lists].sort());
    expect(["allowlist", "blocklist"], ctx).toContain(part.mode);
    for (const list of lists)
      expect(Array.isArray(part[list]) && part[list].every((v: unknown) => typeof v === "string"), ctx).toBe(true);
  }
  expect(s.hasRestrictions, ctx).toBe(Object.keys(s.restrictions).length > 0);
  if (withToken) {
    expect(s.accessToken, ctx).toMatch(/^[\w-]{16,}$/);
    expect(s.tokenHint, ctx).toBe(s.accessToken.slice(-4));
    expect(s.accessUrl, ctx).toBe(`${s.url}/${s.accessToken}`);
  }
}

/** The restrictions as a server answer shows them: both lists of every part sent. */
function normalizedRestrictions(input: Record<string, any>) {
  const out: Record<string, unknown> = {};
  for (const dimension of Object.keys(LISTS) as Dimension[]) {
    const part = input[dimension];
    if (!part) continue;
    const [allowed, blocked] = LISTS[dimension];
    out[dimension] = { mode: part.mode, [allowed]: part[allowed] ?? [], [blocked]: part[blocked] ?? [] };
  }
  return out;
}

const storableDeep = (v: unknown): boolean =>
  typeof v === "string"
    ? storable(v)
    : Array.isArray(v)
      ? v.every(storableDeep)
      : isObject(v)
        ? Object.values(v).every(storableDeep)
        : true;

/** Sent fields come back as sent (only where the value could be stored as it is). */
function checkEcho(server: any, sent: Record<string, unknown>, ctx: string) {
  for (const key of ["name", "description", "customInstructions", "isPublic"]) {
    if (Object.hasOwn(sent, key) && storableDeep(sent[key]))
      expect(server[key], `${ctx}\nfield ${key}`).toEqual(sent[key]);
  }
  if (Object.hasOwn(sent, "restrictions") && storableDeep(sent.restrictions)) {
    expect(server.restrictions, ctx).toEqual(normalizedRestrictions(sent.restrictions as Record<string, any>));
  }
}

function checkExpiry(server: any, days: number, started: number, ended: number, ctx: string) {
  const expires = Date.parse(server.tokenExpiresAt);
  expect(expires, ctx).toBeGreaterThanOrEqual(started + days * DAY_MS - 1_000);
  expect(expires, ctx).toBeLessThanOrEqual(ended + days * DAY_MS + 1_000);
}

/** Every table with a foreign key to a server, from the schema itself. */
let perServerSql = "";
async function perServerRowTotal(serverId: string) {
  if (!perServerSql) {
    const refs = await db().$queryRaw<{ table: string; column: string }[]>`
      SELECT c.conrelid::regclass::text AS "table", a.attname::text AS "column"
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = '"McpServer"'::regclass ORDER BY 1`;
    expect(refs.length).toBeGreaterThanOrEqual(6);
    perServerSql = `SELECT ${refs.map((r) => `(SELECT count(*)::int FROM ${r.table} WHERE "${r.column}" = $1)`).join(" + ")} AS n`;
  }
  return (await db().$queryRawUnsafe<{ n: number }[]>(perServerSql, serverId))[0]!.n;
}

// ---------------------------------------------------------------------------------------------------
// One fuzzed request, end to end.

type Route = "create" | "list" | "get" | "update" | "delete" | "rotate";
const METHOD: Record<Route, string> = {
  create: "POST",
  list: "GET",
  get: "GET",
  update: "PUT",
  delete: "DELETE",
  rotate: "POST",
};
type Spec = { headers: HeaderSpec; query: QuerySpec; id?: IdSpec; body: BodySpec };

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

async function resolveId(spec: IdSpec, principal: Principal | undefined): Promise<{ id: string; segment: string }> {
  if (spec.kind === "raw") return { id: spec.id, segment: encodeURIComponent(spec.id) };
  const owner: [string, string] =
    spec.pool === "mine" && principal
      ? [principal.accountId, principal.userId]
      : spec.pool === "jwtUser"
        ? [fx.accountA, JWT_USER]
        : spec.pool === "otherUser"
          ? [fx.accountA, SOMEONE_ELSE]
          : spec.pool === "accountB"
            ? [fx.accountB, fx.userB]
            : [fx.accountA, fx.userA];
  const fixtureOwner = [fx.userA, JWT_USER, SOMEONE_ELSE, fx.userB].includes(owner[1]);
  await replenish(owner[0], owner[1], fixtureOwner ? 3 : 1);
  const pool = poolOf(...owner);
  const exact = pool[spec.index % pool.length]!;
  const variants: Record<string, string> = {
    exact,
    upper: exact.toUpperCase(),
    suffix: `${exact}x`,
    prefix: `x${exact}`,
    space: `${exact} `,
    truncated: exact.slice(0, -1),
    pctEncoded: exact,
  };
  const id = variants[spec.variant] ?? exact;
  const segment =
    spec.variant === "pctEncoded"
      ? [...Buffer.from(exact)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("")
      : encodeURIComponent(id);
  return { id, segment };
}

async function fuzzRequest(route: Route, spec: Spec) {
  // 1. The concrete request.
  const bodyText = spec.body.kind === "text" ? spec.body.text : undefined;
  const headers = resolveHeaders(spec.headers, bodyText === undefined ? null : Buffer.byteLength(bodyText));
  const auth = authOutcome(new Headers(headers));
  const p = auth.principal;
  if (p) await replenish(p.accountId, p.userId, 0);
  const target = spec.id ? await resolveId(spec.id, p) : undefined;
  const path =
    route === "create" || route === "list"
      ? "/api/servers"
      : `/api/servers/${target!.segment}${route === "rotate" ? "/token" : ""}`;
  const url = `${path}${queryString(spec.query)}`;
  const params = new URL(url, BASE_URL).searchParams;
  const method = METHOD[route];
  const ctx = [
    `${method} ${clip(url, 300)}`,
    `headers: ${clip(JSON.stringify(headers), 600)}`,
    `body: ${bodyText === undefined ? "(none)" : clip(JSON.stringify(bodyText), 600)}`,
  ].join("\n");

  // 2. What API.md allows.
  const allowed = new Set(auth.statuses);
  let body: BodyOutcome | undefined;
  let query: QueryOutcome | undefined;
  let state: { state: IdState; name?: string } | undefined;
  let mayMutate = false;
  const sources400: string[] = [];
  if (auth.userIdTooLong || (auth.statuses.has(400) && !p)) sources400.push("x-alloy-userid");
  if (p && auth.statuses.size === 0) {
    const definite = new Set<number>();
    const open = new Set<number>();
    const success = new Set<number>();
    const judge = (verdict: Verdict, source: string) => {
      if (verdict === "invalid") definite.add(400);
      if (verdict === "ambiguous") open.add(400);
      if (verdict !== "valid") sources400.push(source);
    };
    if (route === "list" || route === "delete") {
      query = queryOutcome(route, params);
      judge(query.verdict, "query");
    }
    if (route === "create" || route === "update" || route === "rotate") {
      body = bodyOutcome(route, spec.body);
      judge(body.verdict, "body");
    }
    if (target) {
      state = idState(p, target.id);
      if (state.state !== "own") definite.add(STATUS_OF[state.state]);
    }
    const name = body?.value.name;
    if (route === "create" || (route === "update" && typeof name === "string")) {
      const clash = typeof name === "string" ? nameClash(p, name, target?.id) : "no";
      if (clash !== "no") success.add(409);
      if (clash !== "yes") success.add(route === "create" ? 201 : 200);
    } else {
      success.add(200);
    }
    const outcomes = definite.size ? definite : success;
    for (const s of [...outcomes, ...open]) allowed.add(s);
    mayMutate = definite.size === 0 && route !== "list" && route !== "get";
  }
  if (auth.also401) allowed.add(401);

  // 3. Send it.
  if (mayMutate) await verifyWindow();
  baseline ??= await snapshot();
  const started = Date.now();
  let res: ApiResponse;
  try {
    requestsSent++;
    res = await call(method, url, { headers, rawBody: bodyText });
  } catch (error) {
    throw new Error(`${ctx}\nthe request failed: ${String(error)}`, { cause: error });
  }
  const ended = Date.now();
  const where = `${ctx}\n→ ${res.status} ${clip(res.text, 600)}\nallowed: ${[...allowed].join(", ")}`;

  // 4. The properties.
  if (res.status >= 500) expect.fail(`5xx\n${where}\nlogged: ${loggedError(res)}`);
  expect([...allowed], `unexpected status\n${where}`).toContain(res.status);
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join(), where).toBe(PROTOTYPE_NAMES);
  expect(({} as Record<string, unknown>).polluted, where).toBeUndefined();

  const ok = res.status >= 200 && res.status < 300;
  if (!ok) {
    checkErrorEnvelope(res, where);
    const error = res.body.error;
    const headersSeen = new Headers(headers);
    const authorization = headersSeen.get("authorization");
    if (res.status === 401 && authorization !== null && !/^bearer\s/i.test(authorization)) {
      expect(error.message, `a missing "Bearer " prefix must be named\n${where}`).toMatch(/bearer/i);
    }
    // "each failure is 400 INVALID_REQUEST with details naming the field"
    if (
      res.status === 400 &&
      sources400.length === 1 &&
      sources400[0] === "body" &&
      body?.jsonObject &&
      body.blamed.length
    ) {
      const details = JSON.stringify(error.details ?? null);
      expect(
        body.blamed.some((field) => details.includes(JSON.stringify(field).slice(1, -1))),
        `details must name one of ${JSON.stringify(body.blamed)}\n${where}`,
      ).toBe(true);
    }
    if (res.status === 400 && sources400.length === 1 && sources400[0] === "query" && query?.blamed.length) {
      const details = JSON.stringify(error.details ?? null);
      expect(
        query.blamed.some((key) => details.includes(key)),
        `details must name ${query.blamed.join(" or ")}\n${where}`,
      ).toBe(true);
    }
  } else {
    expect(res.headers.get("content-type"), where).toMatch(/^application\/json\b/);
    await checkSuccess(route, res, { p: p!, body, query, state, target, started, ended, where });
  }

  // 5. Rows: a rejected request, a read or a dry run changes nothing.
  const readOnly = !ok || route === "list" || route === "get" || (route === "delete" && res.body?.dryRun === true);
  if (readOnly) {
    unverified.push(clip(where, 1_500));
    if (unverified.length >= BATCH) await verifyWindow();
  } else {
    expect(mayMutate, `a change the contract does not allow\n${where}`).toBe(true);
    baseline = null;
  }
}

async function checkSuccess(
  route: Route,
  res: ApiResponse,
  c: {
    p: Principal;
    body?: BodyOutcome;
    query?: QueryOutcome;
    state?: { state: IdState; name?: string };
    target?: { id: string };
    started: number;
    ended: number;
    where: string;
  },
) {
  const { p, where } = c;
  const sent = c.body?.value ?? {};
  switch (route) {
    case "create": {
      expect(res.status, where).toBe(201);
      checkServerObject(res.body, true, where);
      expect(slugCandidates(res.body.name), where).toContain(res.body.serverId.slice(0, -9));
      checkEcho(
        res.body,
        { description: "", customInstructions: "", isPublic: false, restrictions: {}, ...sent },
        where,
      );
      const days = daysVerdict(sent.tokenExpiresInDays) === "valid" ? (sent.tokenExpiresInDays as number) : 90;
      checkExpiry(res.body, days, c.started, c.ended, where);
      // The owner is the caller's end user.
      const owner = await db().mcpServer.findUnique({
        where: { id: res.body.serverId },
        select: { accountId: true, ownerUserId: true },
      });
      expect(owner, where).toEqual({ accountId: p.accountId, ownerUserId: p.userId });
      addToModel(res.body.serverId, { accountId: p.accountId, ownerUserId: p.userId, name: res.body.name });
      break;
    }
    case "list": {
      const b = res.body;
      expect(Object.keys(b).sort(), where).toEqual(["count", "hasMore", "limit", "offset", "servers"]);
      expect(Array.isArray(b.servers), where).toBe(true);
      for (const s of b.servers) checkServerObject(s, false, where);
      for (const key of ["count", "limit", "offset"])
        expect(Number.isSafeInteger(b[key]) && b[key] >= 0, where).toBe(true);
      expect(b.servers.length, where).toBeLessThanOrEqual(b.limit);
      expect(b.hasMore, where).toBe(b.offset + b.servers.length < b.count);
      if (c.query?.verdict === "valid") {
        expect(b.limit, where).toBe(c.query.limit);
        expect(b.offset, where).toBe(c.query.offset);
      }
      const owned = await ownerServers(p);
      const ownedIds = new Set(owned.map((s) => s.id));
      expect([...ownedIds].sort(), `the model and the database disagree\n${where}`).toEqual(
        [...poolOf(p.accountId, p.userId)].sort(),
      );
      for (const s of b.servers)
        expect(ownedIds.has(s.serverId), `listed a server of someone else\n${where}`).toBe(true);
      expect(new Set(b.servers.map((s: any) => s.serverId)).size, where).toBe(b.servers.length);
      const times = b.servers.map((s: any) => Date.parse(s.createdAt));
      expect(times, `newest first\n${where}`).toEqual([...times].sort((x, y) => y - x));
      const q = c.query?.q;
      if (c.query?.verdict !== "valid") break; // e.g. a repeated ?q=: which one applies is open
      if (!q) expect(b.count, where).toBe(owned.length);
      else if (/^[\x20-\x7e]+$/.test(q)) {
        const expected = owned.filter((s) => s.name.toLowerCase().includes(q.toLowerCase())).length;
        expect(b.count, `?q= filters by name\n${where}`).toBe(expected);
        for (const s of b.servers) expect(s.name.toLowerCase(), where).toContain(q.toLowerCase());
      }
      break;
    }
    case "get": {
      checkServerObject(res.body, false, where);
      expect(res.body.serverId, where).toBe(c.target!.id);
      break;
    }
    case "update": {
      checkServerObject(res.body, false, where);
      expect(res.body.serverId, where).toBe(c.target!.id);
      checkEcho(res.body, sent, where);
      if (!Object.hasOwn(sent, "name")) expect(res.body.name, where).toBe(c.state?.name);
      model.get(res.body.serverId)!.name = res.body.name;
      break;
    }
    case "rotate": {
      checkServerObject(res.body, true, where);
      expect(res.body.serverId, where).toBe(c.target!.id);
      const days = daysVerdict(sent.tokenExpiresInDays) === "valid" ? (sent.tokenExpiresInDays as number) : 90;
      checkExpiry(res.body, days, c.started, c.ended, where);
      break;
    }
    case "delete": {
      const id = c.target!.id;
      if (res.body?.dryRun === true) {
        expect(Object.keys(res.body).sort(), where).toEqual(["dryRun", "impact", "name", "serverId"]);
        expect(res.body.serverId, where).toBe(id);
        expect(res.body.name, where).toBe(c.state?.name);
        const impact = Object.values<number>(res.body.impact);
        expect(impact.length, where).toBeGreaterThan(0);
        for (const n of impact) expect(Number.isSafeInteger(n) && n >= 0, where).toBe(true);
        expect(
          impact.reduce((a, n) => a + n, 0),
          `the dry run's impact must be the rows there are\n${where}`,
        ).toBe(await perServerRowTotal(id));
      } else {
        expect(res.body, where).toEqual({ message: "Server deleted", serverId: id });
        expect(await db().mcpServer.count({ where: { id } }), where).toBe(0);
        expect(await perServerRowTotal(id), where).toBe(0);
        removeFromModel(id);
      }
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The properties.

const specArb = (query: fc.Arbitrary<QuerySpec>, body: fc.Arbitrary<BodySpec>, withId: boolean): fc.Arbitrary<Spec> =>
  withId ? fc.record({ headers: headersArb, query, id: idArb, body }) : fc.record({ headers: headersArb, query, body });

async function runProperty(route: Route, arb: fc.Arbitrary<Spec>, numRuns: number) {
  await fc.assert(
    fc.asyncProperty(arb, (spec) => fuzzRequest(route, spec)),
    { seed: SEED, numRuns },
  );
  await verifyWindow();
}

const noBody = fc.constant<BodySpec>({ kind: "none" });

describe(`REST API fuzz (seed ${SEED})`, () => {
  it(
    "POST /api/servers",
    () => runProperty("create", specArb(otherQueryArb, createBodyArb, false), RUNS.create),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "GET /api/servers",
    () => runProperty("list", specArb(listQueryArb, noBody, false), RUNS.list),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "GET /api/servers/{serverId}",
    () => runProperty("get", specArb(otherQueryArb, noBody, true), RUNS.get),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "PUT /api/servers/{serverId}",
    () => runProperty("update", specArb(otherQueryArb, updateBodyArb, true), RUNS.update),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "DELETE /api/servers/{serverId}[?dryRun=]",
    () => runProperty("delete", specArb(deleteQueryArb, deleteBodyArb, true), RUNS.remove),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    "POST /api/servers/{serverId}/token",
    () => runProperty("rotate", specArb(otherQueryArb, rotateBodyArb, true), RUNS.rotate),
    PROPERTY_TIMEOUT_MS,
  );

  it("answers a body over 10 MB with 413 INVALID_REQUEST on every route that reads one, and changes nothing", async () => {
    const id = poolOf(fx.accountA, fx.userA)[0]!;
    const huge = JSON.stringify({ name: "huge", description: "x".repeat(MAX_BODY_BYTES) });
    const before = await snapshot();
    for (const [method, url] of [
      ["POST", "/api/servers"],
      ["PUT", `/api/servers/${id}`],
      ["POST", `/api/servers/${id}/token`],
    ] as const) {
      requestsSent++;
      const res = await call(method, url, { headers: { authorization: `Bearer ${fx.keyA}` }, rawBody: huge });
      expect(res.status, `${method} ${url}`).toBe(413);
      checkErrorEnvelope(res, `${method} ${url}`);
      expect(res.body.error.code).toBe("INVALID_REQUEST");
    }
    expect(await snapshot()).toEqual(before);
  });

  it(`generated at least ${MIN_REQUESTS.toLocaleString("en")} requests`, () => {
    const seconds = ((performance.now() - fileStarted) / 1000).toFixed(1);
    console.log(`fuzz: ${requestsSent} requests in ${seconds} s with seed ${SEED}`);
    expect(requestsSent).toBeGreaterThanOrEqual(MIN_REQUESTS);
  });
});
