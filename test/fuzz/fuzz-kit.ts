// The shared machinery of the property-based fuzz suites (test/fuzz/*.fuzz.test.ts): the seed, request
// counting, the watch on unhandled errors and on the rows of every table, the credentials of docs/api.md
// section 2 with their oracle, and the generators of strings, query strings, ids and JSON bodies that
// every route's fuzzing starts from. Each suite adds its own routes' oracle (written from docs/api.md and the
// OpenAPI document, never from the product's schemas) on top.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi, type MockInstance } from "vitest";
import { db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { mintJwt, revokeJwtSigningKey } from "@/server/services/jwt-keys";
import { createJwt, createTenant } from "@/test/factories";
import { call, type ApiResponse } from "@/test/route-client";

const DEFAULT_SEED = 20_261_128;
/** Fixed, so a run is reproducible; FUZZ_SEED overrides it, and every suite prints the one it used. */
export const SEED = (() => {
  const raw = process.env.FUZZ_SEED?.trim();
  if (!raw) return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got "${raw}"`);
  return seed | 0; // fast-check seeds are 32-bit; printed as used, so a replay uses the same value
})();

export const PROPERTY_TIMEOUT_MS = 600_000;
export const BASE_URL = "http://switchboard.test";
export const DAY_MS = 86_400_000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/**
 * One property as a test of its own, run with the suite's seed (fast-check prints the counterexample, seed
 * and path on failure), ending with a last check of the rows. A failed run may have changed rows without
 * saying so: the watch starts afresh, so that shrinking and the next properties are judged on their own.
 */
export function propertyTest<T>(
  tally: Tally,
  rows: RowWatch,
  name: string,
  arb: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
  numRuns: number,
) {
  const run = async (value: T) => {
    try {
      await check(value);
    } catch (error) {
      rows.reset();
      throw error;
    }
  };
  it(
    name,
    async () => {
      tally.property(name);
      await fc.assert(fc.asyncProperty(arb, run), { seed: SEED, numRuns });
      await rows.verify();
    },
    PROPERTY_TIMEOUT_MS,
  );
}

// ---------------------------------------------------------------------------------------------------
// Counting: how many requests each property sent, printed at the end of the suite.

export class Tally {
  readonly started = performance.now();
  // The machine is shared: the process's CPU time says more about the suite's cost than the wall clock.
  private readonly cpu = process.cpuUsage();
  total = 0;
  private readonly perProperty = new Map<string, number>();
  private readonly statuses = new Map<number, number>();
  private current = "(fixed cases)";

  property(name: string) {
    this.current = name;
  }

  /** Call once per request sent. */
  sent() {
    this.total++;
    this.perProperty.set(this.current, (this.perProperty.get(this.current) ?? 0) + 1);
  }

  /** Prints the counts (the suite's last test) and checks the suite sent at least `min` requests. */
  check(suite: string, min: number) {
    console.log(this.report(suite));
    expect(this.total).toBeGreaterThanOrEqual(min);
  }

  /** Call once per answer: the report shows how the answers were spread, so a fuzzer that never gets
   * past the refusals shows. */
  answered(status: number) {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  report(suite: string): string {
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const { user, system } = process.cpuUsage(this.cpu);
    const cpu = ((user + system) / 1e6).toFixed(1);
    return [
      `fuzz ${suite}: ${this.total} requests in ${seconds} s (${cpu} s CPU in this process) with seed ${SEED}`,
      ...[...this.perProperty].map(([name, n]) => `  ${String(n).padStart(6)}  ${name}`),
      `  statuses: ${[...this.statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(" ")}`,
    ].join("\n");
  }
}

// ---------------------------------------------------------------------------------------------------
// The product logs an `unhandled error` line (to stderr, whatever LOG_LEVEL says) for every 500; a 5xx
// failure quotes it, found by the response's x-request-id.

export function watchUnhandledErrors(): (res: { headers: Headers }) => string {
  let stderr: MockInstance<typeof process.stderr.write> | undefined;
  beforeAll(() => {
    stderr = vi.spyOn(process.stderr, "write");
  });
  afterAll(() => stderr?.mockRestore());
  return (res) => {
    const requestId = res.headers.get("x-request-id");
    const line = stderr?.mock.calls
      .map(([chunk]) => String(chunk))
      .find((l) => l.includes('"unhandled error"') && requestId !== null && l.includes(JSON.stringify(requestId)));
    stderr?.mockClear();
    return line?.trim() ?? "(nothing logged for this request)";
  };
}

// ---------------------------------------------------------------------------------------------------
// Rows: a rejected request, a read or a dry run must change no row of any table.

// Every table of the schema is watched (found at run time, so a table added later is watched too) but the
// rate-limit counters, which every request writes on PostgreSQL, and the migration log. Triggers count
// every row each statement inserts, deletes or updates into fuzz_row_changes, in the statement's own
// transaction: exact (an update is seen, not only a changed count), and a check is one small query
// however many rows the tables hold.
const REQUIRED_TABLES = Object.values(Prisma.ModelName).filter((model) => model !== Prisma.ModelName.RateLimit);
// "Last used / last seen" times are for humans, refreshed by authentication and MCP bookkeeping at most
// once a minute whatever the request's outcome: an update of those alone is no change a request makes.
const WITHOUT_VOLATILE = (row: string) => `(to_jsonb(${row}) - 'lastUsedAt' - 'lastSeenAt')`;
const CHANGES_TABLE = "fuzz_row_changes";

let installed: Promise<void> | undefined;

/** Installs the counting triggers in this file's database (once). */
function installRowTriggers(): Promise<void> {
  installed ??= (async () => {
    const tables = (
      await db().$queryRaw<{ name: string }[]>`
        SELECT tablename::text AS name FROM pg_tables
        WHERE schemaname = current_schema()
          AND tablename NOT IN ('rate_limits', '_prisma_migrations', ${CHANGES_TABLE})
        ORDER BY 1`
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(REQUIRED_TABLES));
    const record = (count: string) => `
      SELECT ${count} INTO n;
      IF n > 0 THEN
        INSERT INTO ${CHANGES_TABLE} AS c VALUES (TG_TABLE_NAME, n) ON CONFLICT (tbl) DO UPDATE SET n = c.n + EXCLUDED.n;
      END IF;
      RETURN NULL;`;
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${CHANGES_TABLE} (tbl text PRIMARY KEY, n bigint NOT NULL)`,
      `CREATE OR REPLACE FUNCTION fuzz_count_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE n bigint;
        BEGIN ${record("count(*) FROM changed_rows")} END $fn$`,
      `CREATE OR REPLACE FUNCTION fuzz_count_updates() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE n bigint;
        BEGIN ${record(`count(*) FROM old_rows o FULL JOIN new_rows r ON r.id = o.id
          WHERE ${WITHOUT_VOLATILE("o")} IS DISTINCT FROM ${WITHOUT_VOLATILE("r")}`)} END $fn$`,
      ...tables.flatMap((t) => [
        `CREATE TRIGGER fuzz_inserted AFTER INSERT ON "${t}" REFERENCING NEW TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count_rows()`,
        `CREATE TRIGGER fuzz_deleted AFTER DELETE ON "${t}" REFERENCING OLD TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count_rows()`,
        `CREATE TRIGGER fuzz_updated AFTER UPDATE ON "${t}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count_updates()`,
      ]),
    ];
    for (const sql of statements) await db().$executeRawUnsafe(sql);
  })();
  return installed;
}

/** Tables a request may change: how many rows of each it may insert, update or delete. */
export type Allowance = Partial<Record<string, number>>;

/**
 * Watches every row of every table. Checking once per batch of requests instead of once per request keeps
 * the suites fast; a request that may change rows is always preceded by a check, so a batch never holds a
 * change that its requests' allowances do not declare.
 */
export class RowWatch {
  private baseline: Record<string, number> | null = null;
  private pending: { where: string; allow: Allowance }[] = [];

  constructor(private readonly batch = 40) {}

  /** How many rows of each table have been inserted, updated or deleted so far. */
  async snapshot(): Promise<Record<string, number>> {
    await installRowTriggers();
    const counts = await db().$queryRawUnsafe<{ tbl: string; n: bigint | number }[]>(
      `SELECT tbl, n FROM ${CHANGES_TABLE}`,
    );
    return Object.fromEntries(counts.map((c) => [c.tbl, Number(c.n)]));
  }

  /** Before a request; `mayChange`: the contract lets it change rows, so what came before is checked first. */
  async before(mayChange: boolean) {
    if (mayChange) await this.verify();
    this.baseline ??= await this.snapshot();
  }

  /** After a request that must have changed no row, beyond what `allow` lets it. */
  async unchanged(where: string, allow: Allowance = {}) {
    this.pending.push({ where, allow });
    if (this.pending.length >= this.batch) await this.verify();
  }

  /** After a request that changed rows as it may. */
  changed() {
    this.baseline = null;
  }

  /** Forgets what is pending (after a failure, which has been reported already). */
  reset() {
    this.pending = [];
    this.baseline = null;
  }

  /** Set-up work between requests (outside any checked request): what came before is checked first. */
  async outside<T>(work: () => Promise<T>): Promise<T> {
    await this.verify();
    this.baseline = null;
    return work();
  }

  async verify() {
    if (!this.pending.length) return;
    const requests = this.pending;
    this.pending = [];
    const now = await this.snapshot();
    const allowed: Record<string, number> = {};
    for (const { allow } of requests)
      for (const [table, n] of Object.entries(allow)) allowed[table] = (allowed[table] ?? 0) + (n ?? 0);
    const beyond: Record<string, number> = {};
    for (const [table, n] of Object.entries(now)) {
      const changed = n - (this.baseline?.[table] ?? 0) - (allowed[table] ?? 0);
      if (changed > 0) beyond[table] = changed;
    }
    expect(
      beyond,
      `rows changed (per table, beyond what was allowed) during one of these ${requests.length} requests:\n${requests
        .map((r) => r.where)
        .join("\n---\n")}`,
    ).toEqual({});
    this.baseline = now;
  }
}

export const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join();

/** Nothing a request sent may have polluted Object.prototype. */
export function checkNoPollution(where: string) {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join(), where).toBe(PROTOTYPE_NAMES);
  expect(({} as Record<string, unknown>).polluted, where).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------------
// Credentials of every kind (docs/api.md section 2) in two accounts, and who each valid one acts as.

export type Principal = { accountId: string; userId: string; canActAsAnyUser: boolean; kind: "api_key" | "jwt" };

export const SOMEONE_ELSE = "someone-else";
export const JWT_USER = "jwt-end-user";

export type CredentialFixtures = {
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
  /** Every credential that authenticates, by the exact token. */
  principals: Map<string, Principal>;
};

export async function createCredentialFixtures(): Promise<CredentialFixtures> {
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
  const principals = new Map<string, Principal>([
    [a.key, { accountId: a.accountId, userId: a.userId, canActAsAnyUser: false, kind: "api_key" }],
    [anyKey, { accountId: a.accountId, userId: a.userId, canActAsAnyUser: true, kind: "api_key" }],
    [b.key, { accountId: b.accountId, userId: b.userId, canActAsAnyUser: false, kind: "api_key" }],
    [jwt, { accountId: a.accountId, userId: JWT_USER, canActAsAnyUser: false, kind: "jwt" }],
  ]);
  return {
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
    principals,
  };
}

// ---------------------------------------------------------------------------------------------------
// Generators.

export const headerSafe = (s: string) =>
  Buffer.from(s, "utf8")
    .toString("latin1")
    .replace(/[\0\r\n]/g, "");

export const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085"];
export const INVISIBLE = ["\u00a0", "\u200b", "\u200e", "\u202e", "\u2028", "\ufeff", "\ufffe", "\ud800", "\udfff"];
export const UNICODE = [
  "é",
  "e\u0301",
  "Ω",
  "日本",
  "𝐀",
  "😀",
  "👩‍👩‍👧",
  "ﷺ",
  "١٢٣",
  "½",
  "Ⅻ",
  "ß",
  "İ",
  "ǅ",
  "Ａ",
  "ᄀ",
  "ª",
];

export const mixedString = fc
  .array(fc.constantFrom(...CONTROL, ...INVISIBLE, ...UNICODE, "a", "Z", "0", " ", "-", "_", "%", "\\", '"'), {
    maxLength: 8,
  })
  .map((parts) => parts.join(""));
export const longString = fc
  .tuple(
    fc.constantFrom("a", "é", "𝐀", " ", "\u0000", "-", "%"),
    fc.constantFrom(99, 100, 101, 9_999, 10_000, 10_001, 20_000),
  )
  .map(([c, n]) => c.repeat(n));
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 4, arbitrary: mixedString },
  { weight: 1, arbitrary: longString },
);
export const shortString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  mixedString,
);

export const withOwn = (target: Record<string, unknown>, key: string, value: unknown) => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
};
export const jsonRoundTrip = (value: unknown): unknown => {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
};

// --- headers

export const INVALID_CREDENTIALS = [
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
// Forms docs/api.md does not settle: a lower-case scheme, extra blanks, or two credentials at once.
export const AMBIGUOUS_CREDENTIALS = [
  "lowerBearer",
  "doubleSpace",
  "tabSeparated",
  "keyAndGarbageUserToken",
  "keyAndJwt",
] as const;
export type Credential =
  | "key"
  | "anyKey"
  | "jwtBearer"
  | "jwtHeader"
  | "jwtHeaderPadded"
  | "keyB"
  | (typeof INVALID_CREDENTIALS)[number]
  | (typeof AMBIGUOUS_CREDENTIALS)[number];

export const credentialArb: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 62, arbitrary: fc.constant("key" as const) },
  { weight: 7, arbitrary: fc.constant("anyKey" as const) },
  { weight: 5, arbitrary: fc.constantFrom("jwtBearer" as const, "jwtHeader" as const, "jwtHeaderPadded" as const) },
  { weight: 3, arbitrary: fc.constant("keyB" as const) },
  { weight: 18, arbitrary: fc.constantFrom(...INVALID_CREDENTIALS) },
  { weight: 5, arbitrary: fc.constantFrom(...AMBIGUOUS_CREDENTIALS) },
);

export type UserIdSpec = {
  kind: "self" | "empty" | "spaces" | "someoneElse" | "jwtUser" | "len10000" | "len10001" | "random";
};
export const userIdArb: fc.Arbitrary<UserIdSpec & { value?: string }> = fc.oneof(
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

export const extraHeadersArb = fc.record(
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

export const headersArb = fc.record({
  credential: credentialArb,
  garbage: anyString,
  userId: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: userIdArb }),
  extra: extraHeadersArb,
});
export type HeaderSpec = typeof headersArb extends fc.Arbitrary<infer T> ? T : never;

const bearer = (token: string): [string, string][] => [["authorization", `Bearer ${token}`]];
const userToken = (token: string): [string, string][] => [["x-alloy-user-token", token]];

/** The headers each kind of credential sends; `junk` is a generated string. */
const CREDENTIAL_HEADERS: Record<Credential, (fx: CredentialFixtures, junk: string) => [string, string][]> = {
  key: (fx) => bearer(fx.keyA),
  anyKey: (fx) => bearer(fx.anyKey),
  keyB: (fx) => bearer(fx.keyB),
  jwtBearer: (fx) => bearer(fx.jwt),
  jwtHeader: (fx) => userToken(fx.jwt),
  jwtHeaderPadded: (fx) => userToken(`  ${fx.jwt}\t`),
  none: () => [],
  revokedKey: (fx) => bearer(fx.revokedKey),
  expiredJwt: (fx) => bearer(fx.expiredJwt),
  revokedKidJwt: (fx) => userToken(fx.revokedKidJwt),
  tamperedJwt: (fx) => bearer(fx.tamperedJwt),
  algNoneJwt: (fx) => bearer(fx.algNoneJwt),
  noPrefix: (fx) => [["authorization", fx.keyA]],
  basic: (fx) => [["authorization", `Basic ${Buffer.from(`${fx.keyA}:`).toString("base64")}`]],
  bearerOnly: () => [["authorization", "Bearer "]],
  keyPlusSuffix: (fx) => bearer(`${fx.keyA}x`),
  truncatedKey: (fx) => bearer(fx.keyA.slice(0, -1)),
  garbage: (_, junk) => [["authorization", junk]],
  bearerGarbage: (_, junk) => [["authorization", `Bearer ${junk}`]],
  keyAsUserToken: (fx) => userToken(fx.keyA),
  garbageUserToken: (_, junk) => userToken(junk || "x"),
  garbageAuthzValidUserToken: (fx, junk) => [...bearer(junk || "x"), ...userToken(fx.jwt)],
  emptyAuthz: () => [["authorization", ""]],
  lowerBearer: (fx) => [["authorization", `bearer ${fx.keyA}`]],
  doubleSpace: (fx) => [["authorization", `Bearer  ${fx.keyA}`]],
  tabSeparated: (fx) => [["authorization", `Bearer\t${fx.keyA}`]],
  keyAndGarbageUserToken: (fx, junk) => [...bearer(fx.keyA), ...userToken(junk || "x")],
  keyAndJwt: (fx) => [...bearer(fx.keyA), ...userToken(fx.jwt)],
};

export function resolveHeaders(
  fx: CredentialFixtures,
  spec: Omit<HeaderSpec, "extra"> & { extra: Partial<Record<string, string>> },
  bodyBytes: number | null,
): Record<string, string> {
  const h: Record<string, string> = {};
  const set = (name: string, value: string) => (h[name] = headerSafe(value));
  for (const [name, value] of CREDENTIAL_HEADERS[spec.credential](fx, headerSafe(spec.garbage))) set(name, value);
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
  for (const [name, value] of Object.entries(spec.extra)) if (value !== undefined) set(name, value);
  // A real client sends the true length of its body; the in-process Request has no such header.
  if (bodyBytes !== null && spec.extra["content-type"] === "application/json") h["content-length"] = String(bodyBytes);
  return h;
}

// --- query strings

// --- query strings

export const junkParamArb = fc.tuple(
  fc.constantFrom("limit", "offset", "q", "dryRun", "foo", "", "__proto__"),
  shortString,
);

export type QuerySpec = { kind: "params"; entries: [string, string][] } | { kind: "raw"; raw: string };
export const paramsQuery = (
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
export const rawQuery: fc.Arbitrary<QuerySpec> = fc
  .oneof(fc.string(), fc.string({ unit: "grapheme", maxLength: 30 }), mixedString)
  .map((raw) => ({ kind: "raw" as const, raw }));
export const queryString = (q: QuerySpec) =>
  q.kind === "raw" ? (q.raw === "" ? "" : `?${q.raw}`) : q.entries.length ? `?${new URLSearchParams(q.entries)}` : "";

/** Query strings for routes that take none: mostly empty, else junk parameters or raw strings. */
export const junkQueryArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant<QuerySpec>({ kind: "params", entries: [] }) },
  { weight: 1, arbitrary: paramsQuery(fc.constant({}), 0) },
  { weight: 1, arbitrary: rawQuery },
);

// --- path ids

/** An id from a pool of existing ones (exact, or altered so that it names nothing), or a raw string. */
export type IdSpec = { kind: "pool"; pool: string; index: number; variant: string } | { kind: "raw"; id: string };
export type PathId = { id: string; segment: string };

/** `pools` names where existing ids come from (repeat a name to weight it); ids shaped like real ones too. */
export const idSpecArb = (pools: string[]): fc.Arbitrary<IdSpec> =>
  fc.oneof(
    {
      weight: 62,
      arbitrary: fc.record({
        kind: fc.constant("pool" as const),
        pool: fc.constantFrom(...pools),
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

/** The id a spec names in `pool` (not empty for a pool spec), and the path segment that sends it. */
export function pathId(pool: string[], spec: IdSpec): PathId {
  if (spec.kind === "raw") return { id: spec.id, segment: encodeURIComponent(spec.id) };
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

export const hasLoneSurrogate = (s: string) => /[\uD800-\uDFFF]/u.test(s);
export const rawIdArb = fc
  .oneof(
    anyString,
    fc.constantFrom("%", "%25", "%zz", "%00", "..%2F", "a/b", "a?b", "a#b", " ", "null", "0", "-1", "NaN"),
    fc.constantFrom("__proto__", "constructor", "server", "😀-12345678", "ÄBC-1234abcd", "a".repeat(5_000)),
  )
  .filter((id) => id !== "" && id !== "." && id !== ".." && !hasLoneSurrogate(id));

// --- bodies

const namePool = ["alpha", "Alpha", "ALPHA", "beta", "Gamma Ray", "delta-1", "eps_2", "日本語", "Ünïcode Ñame", "x"];
/** Names valid by docs/api.md section 3 (servers, and connectors by the same rule). */
export const validNameArb = fc.oneof(
  fc.constantFrom(...namePool),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,20}[A-Za-z0-9]$/),
  fc.stringMatching(/^[a-z]{1,8}$/),
);

export type BodySpec = { kind: "none" } | { kind: "text"; text: string };
export const bigArrayArb = fc
  .tuple(fc.constantFrom(999, 1_000, 1_001, 5_000), fc.constantFrom<unknown>("x", "", 1, null, ["x"]))
  .map(([n, item]) => Array.from({ length: n }, (_, i) => (item === "x" ? `x${i}` : item)));
export const protoObjectArb = fc
  .constantFrom("__proto__", "constructor", "prototype")
  .map((key) => withOwn({}, key, { polluted: true, prototype: { polluted: true } }));
export const badValueArb: fc.Arbitrary<unknown> = fc.oneof(
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
export const RAW_NUMBERS = ["1e400", "-1e400", "1.0", "30.0", "3e1", "1E1", "-0", "0e0", "365.0000000000001"];
export const RAW_NUMBERS_INVALID_JSON = ["00030", "+5", ".5", "NaN", "Infinity", "0x10", "1_000"];
export const rawNumberArb = fc.constantFrom(
  ...RAW_NUMBERS,
  ...RAW_NUMBERS_INVALID_JSON,
  "364.99999999999999999",
  "1e-400",
);
export type Mutation =
  | { op: "set"; path: string[]; value: unknown }
  | { op: "delete"; path: string[] }
  | { op: "rawNumber"; path: string[]; literal: string };

/** One change to a valid body: a field set to a bad value (`values`), removed, or a raw number literal. */
export const mutationArb = (paths: string[][], values: fc.Arbitrary<unknown> = badValueArb): fc.Arbitrary<Mutation> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ op: fc.constant("set" as const), path: fc.constantFrom(...paths), value: values }),
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

export const RAW_SENTINEL = "\u0001RAW-NUMBER\u0001";

export function applyMutation(base: Record<string, unknown>, m: Mutation): string {
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

export const RAW_BODIES = [
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

/**
 * Bodies for a route that takes a JSON object: valid ones (`validWeight`), valid ones with one mutation
 * (bad values from `values`), arbitrary JSON and JavaScript values, objects of the route's fields with
 * arbitrary values, broken JSON, strings, truncated bodies and no body.
 */
export const bodyArb = (
  valid: fc.Arbitrary<Record<string, unknown>>,
  paths: string[][],
  validWeight: number,
  values: fc.Arbitrary<unknown> = badValueArb,
): fc.Arbitrary<BodySpec> => {
  const text = (t: fc.Arbitrary<string>) => t.map((value) => ({ kind: "text" as const, text: value }));
  return fc.oneof(
    { weight: validWeight, arbitrary: text(valid.map((v) => JSON.stringify(v))) },
    {
      weight: 40,
      arbitrary: text(fc.tuple(valid, mutationArb(paths, values)).map(([base, m]) => applyMutation(base, m))),
    },
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

// ---------------------------------------------------------------------------------------------------
// The oracle's building blocks. "ambiguous" marks what the contract leaves open.

export type Verdict = "valid" | "ambiguous" | "invalid";
export const worst = (verdicts: Verdict[]): Verdict =>
  verdicts.includes("invalid") ? "invalid" : verdicts.includes("ambiguous") ? "ambiguous" : "valid";
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const codePoints = (s: string) => [...s].length;
/** PostgreSQL text cannot hold NUL, and a lone surrogate is no Unicode: either may be refused with a 400. */
export const storable = (s: string) => !s.includes("\u0000") && !hasLoneSurrogate(s);

/** "strings up to N characters": over N code points is too long; over N UTF-16 units is open. */
export function textVerdict(v: unknown, max = 10_000): Verdict {
  if (typeof v !== "string") return "invalid";
  if (codePoints(v) > max) return "invalid";
  return v.length > max || !storable(v) ? "ambiguous" : "valid";
}

/** A string of `min` to `max` characters: where code points and UTF-16 units disagree, it is open. */
export function lengthVerdict(v: unknown, min: number, max: number): Verdict {
  if (typeof v !== "string") return "invalid";
  const within = (n: number) => n >= min && n <= max;
  const [byCodePoints, byUnits] = [within(codePoints(v)), within(v.length)];
  if (byCodePoints && byUnits) return storable(v) ? "valid" : "ambiguous";
  return byCodePoints || byUnits ? "ambiguous" : "invalid";
}

/** 1–100 characters, starts and ends with a letter or digit, inside also space, "-", "_". */
export function nameVerdict(v: unknown): Verdict {
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

export type FieldRule = (v: unknown) => Verdict;
export type BodyOutcome = { verdict: Verdict; value: Record<string, unknown>; blamed: string[]; jsonObject: boolean };

/**
 * A JSON object body judged field by field: unknown fields and missing `required` ones are invalid. With
 * `optional`, no body stands for `{}` and a blank one is open; elsewhere a body is required. A byte order
 * mark before the JSON is open (RFC 8259: a parser MAY ignore it).
 */
export function objectBodyOutcome(
  body: BodySpec,
  rules: Record<string, FieldRule>,
  options: { required?: string[]; optional?: boolean } = {},
): BodyOutcome {
  const invalid = (blamed: string[] = []): BodyOutcome => ({
    verdict: "invalid",
    value: {},
    blamed,
    jsonObject: false,
  });
  const text = body.kind === "text" ? body.text : "";
  if (text.trim() === "") {
    if (!options.optional) return invalid();
    return { verdict: text === "" ? "valid" : "ambiguous", value: {}, blamed: [], jsonObject: false };
  }
  let value: unknown;
  let bom = false;
  try {
    value = JSON.parse(text);
  } catch {
    if (!text.startsWith("\uFEFF")) return invalid();
    try {
      value = JSON.parse(text.slice(1));
      bom = true;
    } catch {
      return invalid();
    }
  }
  if (!isObject(value)) return invalid(["(root)"]);
  const verdicts: Verdict[] = [];
  const blamed: string[] = [];
  for (const [key, fieldValue] of Object.entries(value)) {
    const verdict = Object.hasOwn(rules, key) ? rules[key]!(fieldValue) : "invalid";
    verdicts.push(verdict);
    if (verdict === "invalid") blamed.push(key);
  }
  for (const key of options.required ?? []) {
    if (Object.hasOwn(value, key)) continue;
    verdicts.push("invalid");
    blamed.push(key);
  }
  let verdict = worst(verdicts);
  if (bom && verdict === "valid") verdict = "ambiguous";
  return { verdict, value, blamed: bom ? [] : blamed, jsonObject: !bom };
}

/** "each failure is 400 INVALID_REQUEST with details naming the field": one of `blamed` is in the details. */
export function checkBlamed(error: { details?: unknown }, blamed: string[], where: string) {
  const details = JSON.stringify(error.details ?? null);
  expect(
    blamed.some((field) => details.includes(JSON.stringify(field).slice(1, -1))),
    `details must name one of ${JSON.stringify(blamed)}\n${where}`,
  ).toBe(true);
}

/** Judges query parameters one by one; a repeated parameter is open. `verdict()` sums them up. */
export function queryJudge(params: URLSearchParams) {
  const verdicts: Verdict[] = [];
  const blamed: string[] = [];
  const judge = (key: string, fn: (value: string) => Verdict) => {
    const values = params.getAll(key);
    if (values.length === 0) return;
    const verdict = values.length > 1 ? "ambiguous" : fn(values[0]!);
    verdicts.push(verdict);
    if (verdict === "invalid") blamed.push(key);
  };
  return { judge, verdict: () => ({ verdict: worst(verdicts), blamed }) };
}

/** A whole number from `min` to `max` in its canonical form; other spellings of such a number are open. */
export function integerParamVerdict(value: string, min: number, max: number): Verdict {
  if (/^(0|[1-9]\d*)$/.test(value)) {
    const n = Number(value);
    if (n >= min && n <= max) return "valid";
    return n > Number.MAX_SAFE_INTEGER && min === 0 ? "ambiguous" : "invalid"; // no maximum offset in docs/api.md
  }
  // "05", "5.0", "1e2", " 5", "", "0x10": numbers, but not the canonical form.
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? "ambiguous" : value === "" ? "ambiguous" : "invalid";
}

export type AuthOutcome = { principal?: Principal; statuses: Set<number>; also401: boolean; userIdTooLong?: boolean };

/** docs/api.md section 2, on the headers as the server sees them. */
export function authOutcome(fx: CredentialFixtures, headers: Headers): AuthOutcome {
  const validTokens = fx.principals;
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

// ---------------------------------------------------------------------------------------------------
// Checking one response.

export const CODE_STATUSES: Record<string, number[]> = {
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

/** docs/api.md section 4: exactly `{ error: { code, message, details? } }` as JSON, the code matching the status. */
export function checkErrorEnvelope(
  res: { status: number; headers: Headers; body: any },
  ctx: string,
  codeStatuses: Record<string, number[]> = CODE_STATUSES,
) {
  expect(res.headers.get("content-type"), ctx).toMatch(/^application\/json\b/);
  expect(isObject(res.body) && Object.keys(res.body), ctx).toEqual(["error"]);
  const error = res.body.error;
  expect(isObject(error), ctx).toBe(true);
  for (const key of Object.keys(error)) expect(["code", "message", "details"], ctx).toContain(key);
  expect(typeof error.code, ctx).toBe("string");
  expect(typeof error.message, ctx).toBe("string");
  expect(error.message.length, ctx).toBeGreaterThan(0);
  if ("details" in error) expect(isObject(error.details), ctx).toBe(true);
  expect(codeStatuses[error.code as string] ?? [], `${ctx}\ncode ${error.code} with status ${res.status}`).toContain(
    res.status,
  );
}

export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/**
 * Sends one request through the route handlers (test/route-client.ts checks the answer against the OpenAPI
 * document) and checks what every answer must satisfy: no 5xx, a status the oracle allows, no pollution.
 */
export async function sendChecked(
  tally: Tally,
  loggedError: (res: { headers: Headers }) => string,
  r: { method: string; url: string; headers: Record<string, string>; body?: string; ctx: string; allowed: Set<number> },
): Promise<{ res: ApiResponse; where: string; ended: number }> {
  let res: ApiResponse;
  try {
    tally.sent();
    res = await call(r.method, r.url, { headers: r.headers, rawBody: r.body });
  } catch (error) {
    throw new Error(`${r.ctx}\nthe request failed: ${String(error)}`, { cause: error });
  }
  const ended = Date.now();
  tally.answered(res.status);
  const where = `${r.ctx}\n→ ${res.status} ${clip(res.text, 600)}\nallowed: ${[...r.allowed].join(", ")}`;
  if (res.status >= 500) expect.fail(`5xx\n${where}\nlogged: ${loggedError(res)}`);
  expect([...r.allowed], `unexpected status\n${where}`).toContain(res.status);
  checkNoPollution(where);
  return { res, where, ended };
}

/** A body over 10 MB is 413 INVALID_REQUEST on every route that reads one (docs/api.md section 3), and changes nothing. */
export async function checkTooLarge(
  tally: Tally,
  body: Record<string, unknown>,
  requests: [method: string, url: string, headers: Record<string, string>][],
) {
  tally.property("bodies over 10 MB");
  const rows = new RowWatch();
  const text = JSON.stringify(body);
  expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_BODY_BYTES);
  await rows.before(false);
  for (const [method, url, headers] of requests) {
    const where = `${method} ${url}`;
    tally.sent();
    const res = await call(method, url, { headers, rawBody: text });
    expect(res.status, where).toBe(413);
    checkErrorEnvelope(res, where);
    expect(res.body.error.code, where).toBe("INVALID_REQUEST");
    await rows.unchanged(where);
  }
  await rows.verify();
}
