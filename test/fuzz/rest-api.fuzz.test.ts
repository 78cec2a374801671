// Property-based fuzzing of every REST route of docs/api.md sections 1–5 with fast-check, through the real
// route handlers and database (test/route-client.ts). Each generated request gets an expectation from an
// oracle written from docs/api.md alone (never from the product's schemas): the set of statuses the contract
// allows. Where docs/api.md is silent (e.g. "characters" as code points or UTF-16 units, a NUL inside a
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
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { newId, sha256 } from "@/server/secrets";
import { type ApiResponse } from "@/test/route-client";
import {
  anyString,
  authOutcome,
  BASE_URL,
  bodyArb,
  checkBlamed,
  checkErrorEnvelope,
  clip,
  createCredentialFixtures,
  DAY_MS,
  headersArb,
  integerParamVerdict,
  queryJudge,
  idSpecArb,
  junkQueryArb,
  ISO,
  isObject,
  JWT_USER,
  MAX_BODY_BYTES,
  nameVerdict,
  objectBodyOutcome,
  validNameArb,
  paramsQuery,
  pathId,
  rawQuery,
  queryString,
  resolveHeaders,
  RowWatch,
  propertyTest,
  checkTooLarge,
  sendChecked,
  SEED,
  shortString,
  SOMEONE_ELSE,
  storable,
  Tally,
  textVerdict,
  watchUnhandledErrors,
  worst,
  type BodyOutcome,
  type BodySpec,
  type CredentialFixtures,
  type FieldRule,
  type HeaderSpec,
  type IdSpec,
  type PathId,
  type Principal,
  type QuerySpec,
  type Verdict,
} from "@/test/fuzz/fuzz-kit";

/** Runs per property, sized so the file stays well under two minutes on PGlite on two cores. */
const RUNS = {
  create: 1_900,
  list: 1_400,
  get: 1_700,
  update: 1_900,
  remove: 1_600,
  rotate: 1_600,
  revokeAll: 600,
} as const;
const MIN_REQUESTS = 10_000;

const tally = new Tally();
const rows = new RowWatch();
const loggedError = watchUnhandledErrors();

// ---------------------------------------------------------------------------------------------------
// Fixtures: credentials of every kind, and servers owned by several end users of two accounts.

let fx: CredentialFixtures;
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

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (set FUZZ_SEED to change it)`);
  await db().$queryRaw`SELECT 1`; // open the database before the first transaction waits on it
  fx = await createCredentialFixtures();
  for (const [accountId, userId] of [
    [fx.accountA, fx.userA],
    [fx.accountA, JWT_USER],
    [fx.accountA, SOMEONE_ELSE],
    [fx.accountB, fx.userB],
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
  await rows.outside(async () => {
    while (pool.length < min) await insertServer(accountId, userId);
    if (pool.length > 16) {
      const drop = pool.slice(0, pool.length - 10);
      await db().mcpServer.deleteMany({ where: { id: { in: drop } } });
      drop.forEach(removeFromModel);
    }
  });
}

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
const idArb = idSpecArb(["mine", "mine", "mine", "mine", "userA", "jwtUser", "otherUser", "accountB"]);

// --- bodies

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
// The oracle: what docs/api.md allows for a request. "ambiguous" marks what the contract leaves open.

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
          // docs/api.md bounds neither the length nor the emptiness of one value.
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
      : "ambiguous"; // docs/api.md says 0–86400, not "integer"

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

/** Section 3's bodies: `name` is required on create; rotation's body is optional. */
const bodyOutcome = (kind: keyof typeof FIELDS, body: BodySpec): BodyOutcome =>
  objectBodyOutcome(body, FIELDS[kind], { required: kind === "create" ? ["name"] : [], optional: kind === "rotate" });

type QueryOutcome = {
  verdict: Verdict;
  blamed: string[];
  limit?: number;
  offset?: number;
  q?: string;
  dryRun?: boolean;
};

function queryOutcome(kind: "list" | "delete", params: URLSearchParams): QueryOutcome {
  const { judge, verdict } = queryJudge(params);
  const out: QueryOutcome = { verdict: "valid", blamed: [] };
  if (kind === "list") {
    judge("limit", (v) => integerParamVerdict(v, 1, 1_000));
    judge("offset", (v) => integerParamVerdict(v, 0, Number.MAX_SAFE_INTEGER));
    judge("q", (v) => (v.length <= 100 && storable(v) ? "valid" : "ambiguous")); // docs/api.md bounds no q
    out.limit = params.has("limit") ? Number(params.get("limit")) : 50;
    out.offset = params.has("offset") ? Number(params.get("offset")) : 0;
    out.q = params.get("q") ?? undefined;
  } else {
    judge("dryRun", (v) =>
      v === "true" || v === "false" ? "valid" : /^(true|false|1|0|yes|no|)$/i.test(v.trim()) ? "ambiguous" : "invalid",
    );
    out.dryRun = params.get("dryRun") === "true";
  }
  return { ...out, ...verdict() };
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
  "liveTokens",
  "createdAt",
  "updatedAt",
];

/** docs/api.md section 3: the serverId derives from the name (with or without the leading/trailing "-"). */
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
  for (const key of ["name", "description", "customInstructions"]) expect(typeof s[key], ctx).toBe("string");
  // A server whose tokens were all revoked (DELETE …/token) has no current token until its next rotation.
  if (s.tokenHint !== null) expect(typeof s.tokenHint, ctx).toBe("string");
  expect(Array.isArray(s.liveTokens), ctx).toBe(true);
  for (const t of s.liveTokens) {
    expect(Object.keys(t).sort(), ctx).toEqual(["expiresAt", "graceUntil", "tokenHint"]);
    expect(t.expiresAt, ctx).toMatch(ISO);
    if (t.graceUntil !== null) expect(t.graceUntil, ctx).toMatch(ISO);
  }
  expect(s.mode, ctx).toBe("connectivity");
  expect(typeof s.isPublic, ctx).toBe("boolean");
  expect(s.url, ctx).toBe(`${BASE_URL}/mcp/${s.serverId}`);
  for (const key of ["createdAt", "updatedAt"]) expect(s[key], ctx).toMatch(ISO);
  if (s.tokenExpiresAt !== null || s.tokenHint !== null) expect(s.tokenExpiresAt, ctx).toMatch(ISO);
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

type Route = "create" | "list" | "get" | "update" | "delete" | "rotate" | "revokeAll";
const METHOD: Record<Route, string> = {
  create: "POST",
  list: "GET",
  get: "GET",
  update: "PUT",
  delete: "DELETE",
  rotate: "POST",
  revokeAll: "DELETE",
};
type Spec = { headers: HeaderSpec; query: QuerySpec; id?: IdSpec; body: BodySpec };

async function resolveId(spec: IdSpec, principal: Principal | undefined): Promise<PathId> {
  if (spec.kind === "raw") return pathId([], spec);
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
  return pathId(poolOf(...owner), spec);
}

async function fuzzRequest(route: Route, spec: Spec) {
  // 1. The concrete request.
  const bodyText = spec.body.kind === "text" ? spec.body.text : undefined;
  const headers = resolveHeaders(fx, spec.headers, bodyText === undefined ? null : Buffer.byteLength(bodyText));
  const auth = authOutcome(fx, new Headers(headers));
  const p = auth.principal;
  if (p) await replenish(p.accountId, p.userId, 0);
  const target = spec.id ? await resolveId(spec.id, p) : undefined;
  const path =
    route === "create" || route === "list"
      ? "/api/servers"
      : `/api/servers/${target!.segment}${route === "rotate" || route === "revokeAll" ? "/token" : ""}`;
  const url = `${path}${queryString(spec.query)}`;
  const params = new URL(url, BASE_URL).searchParams;
  const method = METHOD[route];
  const ctx = [
    `${method} ${clip(url, 300)}`,
    `headers: ${clip(JSON.stringify(headers), 600)}`,
    `body: ${bodyText === undefined ? "(none)" : clip(JSON.stringify(bodyText), 600)}`,
  ].join("\n");

  // 2. What docs/api.md allows.
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

  // 3. Send it, and check what every answer must satisfy.
  await rows.before(mayMutate);
  const started = Date.now();
  const { res, where, ended } = await sendChecked(tally, loggedError, {
    method,
    url,
    headers,
    body: bodyText,
    ctx,
    allowed,
  });

  // 4. The properties of this route.
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
      checkBlamed(error, body.blamed, where);
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
    await rows.unchanged(clip(where, 1_500));
  } else {
    expect(mayMutate, `a change the contract does not allow\n${where}`).toBe(true);
    rows.changed();
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
    case "revokeAll": {
      checkServerObject(res.body, false, where);
      expect(res.body.serverId, where).toBe(c.target!.id);
      expect(res.body, where).toMatchObject({ tokenHint: null, tokenExpiresAt: null, liveTokens: [] });
      const live = await db().serverAccessToken.count({ where: { serverId: c.target!.id, revokedAt: null } });
      expect(live, `every token is revoked\n${where}`).toBe(0);
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

const noBody = fc.constant<BodySpec>({ kind: "none" });

const property = (name: string, route: Route, arb: fc.Arbitrary<Spec>, numRuns: number) =>
  propertyTest(tally, rows, name, arb, (spec) => fuzzRequest(route, spec), numRuns);

describe(`REST API fuzz (seed ${SEED})`, () => {
  property("POST /api/servers", "create", specArb(junkQueryArb, createBodyArb, false), RUNS.create);

  property("GET /api/servers", "list", specArb(listQueryArb, noBody, false), RUNS.list);

  property("GET /api/servers/{serverId}", "get", specArb(junkQueryArb, noBody, true), RUNS.get);

  property("PUT /api/servers/{serverId}", "update", specArb(junkQueryArb, updateBodyArb, true), RUNS.update);

  property(
    "DELETE /api/servers/{serverId}[?dryRun=]",
    "delete",
    specArb(deleteQueryArb, deleteBodyArb, true),
    RUNS.remove,
  );

  property("POST /api/servers/{serverId}/token", "rotate", specArb(junkQueryArb, rotateBodyArb, true), RUNS.rotate);

  property("DELETE /api/servers/{serverId}/token", "revokeAll", specArb(junkQueryArb, noBody, true), RUNS.revokeAll);

  it("answers a body over 10 MB with 413 INVALID_REQUEST on every route that reads one, and changes nothing", async () => {
    const id = poolOf(fx.accountA, fx.userA)[0]!;
    const headers = { authorization: `Bearer ${fx.keyA}` };
    await checkTooLarge(tally, { name: "huge", description: "x".repeat(MAX_BODY_BYTES) }, [
      ["POST", "/api/servers", headers],
      ["PUT", `/api/servers/${id}`, headers],
      ["POST", `/api/servers/${id}/token`, headers],
    ]);
  });

  it(`generated at least ${MIN_REQUESTS.toLocaleString("en")} requests`, () => {
    tally.check("rest-api", MIN_REQUESTS);
  });
});
