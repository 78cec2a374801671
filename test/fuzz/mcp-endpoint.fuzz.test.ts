// Property-based fuzzing of the MCP endpoint (docs/api.md section 6): POST|GET|DELETE /mcp/{serverId}/{accessToken}
// and /mcp/{serverId}, driven in-process through the route handler with real Web Requests. Fuzzed: the path
// (server ids and tokens of every shape), the headers (Accept, Content-Type, Origin, Mcp-Session-Id,
// Mcp-Protocol-Version, x-alloy-userid, x-alloy-user-token and the section 2 credentials) and the bodies
// (not JSON, near-valid JSON-RPC messages, batches, unknown methods, initialize with odd parameters, and
// tools/call with arbitrary names and arguments for the eight *_alloy tools and the per-action tools of a
// real upstream, test/upstream-fixture.ts).
//
// The oracle, from docs/api.md: a request is refused before the protocol (wrong Origin, an Accept without both
// media types, a bad token or credential, a server that is not the caller's, a private server's other
// users, the users restriction) with the REST error envelope; past that, the MCP transport answers.
//
// Properties, for every request: no 5xx, and no JSON-RPC "internal error" either; a refusal before the
// protocol carries the error envelope with a code matching its status; any other non-2xx answer is a
// JSON-RPC 2.0 error object (integer code, string message); a 2xx answer holds one JSON-RPC response per
// request (result or error, never both), tools/list lists exactly what the restrictions permit, tools/call
// answers a tool result (content, isError) whatever its arguments; a refused request changes no row of any
// table, and an answered one only the rows its messages may write (the end user's binding, a session, one
// usage row per tools/call, a credential per create_credential_alloy); nothing pollutes Object.prototype.
//
// Reproducible: the seed is fixed (FUZZ_SEED overrides it) and printed. Replay one property with
//   FUZZ_SEED=<seed> npx vitest run test/fuzz/mcp-endpoint.fuzz.test.ts -t "<property name>"
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mcpRoute from "@/app/mcp/[serverId]/[[...token]]/route";
import { db } from "@/server/db";
import { getSession, openSessionCount } from "@/server/mcp/sessions";
import { newId } from "@/server/secrets";
import { closeSessionRecord } from "@/server/services/mcp";
import { createJwt } from "@/test/factories";
import { call } from "@/test/route-client";
import { startFixture, type Fixture } from "@/test/upstream-fixture";
import * as fz from "@/test/fuzz/fuzz-kit";

/** Runs per property, sized with the other suites to stay within the CI budget on two cores. */
const RUNS = { tokenUrl: 1_400, managementUrl: 600, getDelete: 450, toolsCall: 900 } as const;
const MIN_REQUESTS = 3_300;
/** A request that has not answered by then hangs: a failure of its own. */
const REQUEST_DEADLINE_MS = 20_000;

// Every server blocks the upstream's "slow" tool; should one be called anyway, it costs seconds, not ten.
process.env.CONNECTOR_TIMEOUT_MS = "3000";

const tally = new fz.Tally();
const rows = new fz.RowWatch();
const loggedError = fz.watchUnhandledErrors();

// ---------------------------------------------------------------------------------------------------
// Fixtures: credentials, an upstream with two connectors on it (and one that is down), servers of every
// kind with their tokens, and the sessions the fuzzer opened.

let fx: fz.CredentialFixtures;
let upstream: Fixture;
const ORIGIN = fz.BASE_URL;

type ServerFixture = {
  id: string;
  accountId: string;
  owner: string;
  isPublic: boolean;
  token: string;
  instructions: string;
  /** Who the users restriction lets in. */
  admits: (userId: string) => boolean;
  /** A users allowlist: an unverified x-alloy-userid never passes it (issue #12 finding 4). */
  allowlistsUsers: boolean;
  /** The per-action tools that tools/list must show. */
  actionTools: string[];
};
const SERVER_KINDS = ["private", "public", "publicAllowlist", "otherOwner", "connectorsAllowlist", "accountB"] as const;
type ServerKind = (typeof SERVER_KINDS)[number];
const servers = {} as Record<ServerKind, ServerFixture>;
/** Set up once: connectors (live upstream, one down, another account's), tokens no longer good, a JWT of account B. */
const setUp = {
  liveConnector: "",
  deadConnector: "",
  otherAccountConnector: "",
  rotatedOutToken: "",
  expiredToken: "",
  jwtB: "",
};
const BLOCKED_USER = "blocked-user";
const ALLOWED_USER = "allowed-user";

type LiveSession = { id: string; serverId: string; userId: string };
const liveSessions: LiveSession[] = [];
const closedSessions: string[] = [];

async function createServer(key: string, body: Record<string, unknown>, userId?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (userId) headers["x-alloy-userid"] = userId;
  const res = await call("POST", "/api/servers", { headers, body });
  expect(res.status, res.text).toBe(201);
  return res.body as { serverId: string; accessToken: string };
}

beforeAll(async () => {
  console.log(`fuzz seed ${fz.SEED} (set FUZZ_SEED to change it)`);
  await db().$queryRaw`SELECT 1`;
  fx = await fz.createCredentialFixtures();
  upstream = await startFixture();
  const auth = { authorization: `Bearer ${fx.keyA}` };
  const live = await call("POST", "/api/connectors", {
    headers: auth,
    body: { name: "fixture", url: upstream.url, credentialHeader: "x-upstream-token" },
  });
  expect(live.body.actions.map((a: { actionId: string }) => a.actionId)).toEqual(["slow", "whoami"]);
  setUp.liveConnector = live.body.connectorId;
  // Down for good: its cached action is listed, and calling it fails at once (a closed port).
  setUp.deadConnector = `down-${newId("c").slice(-8)}`;
  await db().connector.create({
    data: {
      id: setUp.deadConnector,
      accountId: fx.accountA,
      name: "down",
      transport: "http",
      url: "http://127.0.0.1:1/mcp",
      args: [],
      actions: { create: { id: newId("act"), actionId: "alpha", description: "Alpha", inputSchema: {} } },
    },
  });
  const other = await call("POST", "/api/connectors", {
    headers: { authorization: `Bearer ${fx.keyB}` },
    body: { name: "elsewhere", url: "http://127.0.0.1:1/mcp" },
  });
  setUp.otherAccountConnector = other.body.connectorId;
  setUp.jwtB = (await createJwt(fx.accountB, "jwt-user-b", 3_600)).token;

  const noSlow = { actions: { mode: "blocklist", blockedActions: ["slow"] } };
  const everyAction = [`${setUp.deadConnector}__alpha`, `${setUp.liveConnector}__whoami`];
  const kinds: [ServerKind, string, Record<string, unknown>, string | undefined, (u: string) => boolean, string[]][] = [
    ["private", fx.keyA, { name: "private", restrictions: noSlow }, undefined, () => true, everyAction],
    [
      "public",
      fx.keyA,
      {
        name: "public",
        isPublic: true,
        customInstructions: "Be brief.",
        restrictions: { ...noSlow, users: { mode: "blocklist", blockedIds: [BLOCKED_USER] } },
      },
      undefined,
      (u) => u !== BLOCKED_USER,
      everyAction,
    ],
    [
      "publicAllowlist",
      fx.keyA,
      {
        name: "allowlist",
        isPublic: true,
        restrictions: {
          actions: { mode: "allowlist", allowedActions: ["whoami"] },
          users: { mode: "allowlist", allowedIds: [ALLOWED_USER] },
        },
      },
      undefined,
      (u) => u === ALLOWED_USER,
      [`${setUp.liveConnector}__whoami`],
    ],
    ["otherOwner", fx.anyKey, { name: "other owner", restrictions: noSlow }, fz.SOMEONE_ELSE, () => true, everyAction],
    [
      "connectorsAllowlist",
      fx.keyA,
      {
        name: "one connector",
        restrictions: { ...noSlow, connectors: { mode: "allowlist", allowedIds: [setUp.liveConnector] } },
      },
      undefined,
      () => true,
      [`${setUp.liveConnector}__whoami`],
    ],
    ["accountB", fx.keyB, { name: "account b", restrictions: noSlow }, undefined, () => true, []],
  ];
  for (const [kind, key, body, userId, admits, actionTools] of kinds) {
    const created = await createServer(key, body, userId);
    servers[kind] = {
      id: created.serverId,
      accountId: key === fx.keyB ? fx.accountB : fx.accountA,
      owner: userId ?? (key === fx.keyB ? fx.userB : fx.userA),
      isPublic: body.isPublic === true,
      token: created.accessToken,
      instructions: (body.customInstructions as string | undefined) ?? "",
      admits,
      allowlistsUsers: (body.restrictions as { users?: { mode: string } } | undefined)?.users?.mode === "allowlist",
      actionTools: actionTools.sort(),
    };
  }
  // A token rotated out, and one expired, of servers of their own.
  const rotated = await createServer(fx.keyA, { name: "rotated", restrictions: noSlow });
  setUp.rotatedOutToken = rotated.accessToken;
  await call("POST", `/api/servers/${rotated.serverId}/token`, { headers: auth, body: {} });
  const expired = await createServer(fx.keyA, { name: "expired", restrictions: noSlow });
  await db().serverAccessToken.updateMany({
    where: { serverId: expired.serverId },
    data: { expiresAt: new Date(Date.now() - 1_000) },
  });
  setUp.expiredToken = expired.accessToken;
}, 120_000);

afterAll(async () => {
  for (const session of liveSessions.splice(0)) await closeSession(session.id);
  await upstream?.close();
});

async function closeSession(id: string) {
  const session = getSession(id);
  if (!session) return;
  await session.transport.close();
  await session.server.close();
  await closeSessionRecord(id);
}

/** Keeps at most 12 sessions open (set-up, between requests): the oldest are closed. */
async function pruneSessions() {
  if (liveSessions.length <= 12) return;
  await rows.outside(async () => {
    for (const session of liveSessions.splice(0, liveSessions.length - 8)) {
      await closeSession(session.id);
      closedSessions.push(session.id);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Generators: the path, the headers, the JSON-RPC messages.

/** docs/api.md section 6: Alloy's tool names. */
const ALLOY_TOOLS = (
  "list_connectors get_connector_resources get_action_details execute_action get_credentials " +
  "get_credential_metadata create_credential discover_action_path"
)
  .split(" ")
  .map((name) => `${name}_alloy`);

const serverArb = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constantFrom(...SERVER_KINDS, "private", "private", "public", "public"),
      variant: fc.oneof(
        { weight: 12, arbitrary: fc.constant("exact") },
        { weight: 1, arbitrary: fc.constantFrom("upper", "suffix", "prefix", "space", "truncated") },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,41}-[0-9a-f]{8}$/).map((raw) => ({ raw })) },
  { weight: 2, arbitrary: fz.rawIdArb.map((raw) => ({ raw })) },
);
const tokenArb = fc.oneof(
  { weight: 20, arbitrary: fc.constant("own" as const) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      "otherServer",
      "rotatedOut",
      "expired",
      "truncated",
      "suffixed",
      "upper",
      "apiKey",
      "extraSegment",
    ),
  },
  { weight: 2, arbitrary: fz.rawIdArb.map((raw) => ({ raw })) },
);
/** Mostly `usual`; one time in `odds + 1`, one of `unusual`. */
const mostly = <T>(usual: T, unusual: T[], odds = 4): fc.Arbitrary<T> =>
  fc.oneof({ weight: odds, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...unusual) });

const acceptArb = fc.oneof(
  {
    weight: 20,
    arbitrary: mostly("application/json, text/event-stream", [
      "text/event-stream, application/json",
      "application/json;q=0.9, text/event-stream;q=0.8",
      "application/json",
      "text/event-stream",
      "*/*",
      "application/*, text/*",
      "text/html",
      "",
      "APPLICATION/JSON, TEXT/EVENT-STREAM",
    ]),
  },
  { weight: 1, arbitrary: fz.shortString },
);
const contentTypeArb = mostly(
  "application/json",
  [
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "",
    "application/jsonx",
    "APPLICATION/JSON",
  ],
  5,
);
const originArb = mostly<string | null>(
  null,
  [ORIGIN, "https://evil.example", "null", `${ORIGIN}/`, "http://switchboard.test:80"],
  5,
);
const sessionArb = fc.oneof(
  { weight: 14, arbitrary: fc.constant("none" as const) },
  { weight: 4, arbitrary: fc.constant("live" as const) },
  { weight: 2, arbitrary: fc.constantFrom("otherServer" as const, "closed" as const) },
  { weight: 1, arbitrary: fz.shortString.map((raw) => ({ raw })) },
);
const protocolVersionArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05") },
  { weight: 1, arbitrary: fc.constantFrom("1999-01-01", "", "latest", "2025-06-18, 2025-03-26") },
);
/** On the token URL, the end user: none, x-alloy-userid (owner, allowed, blocked, anyone), or a JWT. */
const claimArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      { kind: "userId" as const, who: "owner" },
      { kind: "userId" as const, who: ALLOWED_USER },
      { kind: "userId" as const, who: BLOCKED_USER },
      { kind: "userId" as const, who: "someone" },
      { kind: "userId" as const, who: "" },
      { kind: "userId" as const, who: "u".repeat(10_001) },
      { kind: "userId" as const, who: "u".repeat(257) },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { kind: "jwt" as const, who: "a" },
      { kind: "jwt" as const, who: "b" },
      { kind: "jwt" as const, who: "expired" },
      { kind: "jwt" as const, who: "garbage" },
    ),
  },
  { weight: 1, arbitrary: fz.anyString.map((who) => ({ kind: "userId" as const, who })) },
);

const idArb = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 1_000 }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 1.5, -1, 2 ** 53, {}, [], true, "") },
);
const argumentsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        connectorId: fc.oneof(fc.constantFrom("LIVE", "DEAD", "OTHER", "", "nope"), fz.shortString),
        actionId: fc.oneof(fc.constantFrom("whoami", "slow", "alpha", "", "nope"), fz.shortString),
        parameters: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 })),
        credentialId: fc.oneof(fc.constantFrom("cred_00000000000000000000000000000000", ""), fz.shortString),
        value: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom("", "v".repeat(10_001))),
        name: fz.shortString,
        query: fc.oneof(fc.constantFrom("who am i", "alpha", "", "%"), fz.anyString),
        limit: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom<unknown>(1.5, "3", null, 1e308)),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], "x", 1, { __proto__: null }) },
);
const toolNameArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ALLOY_TOOLS) },
  { weight: 5, arbitrary: fc.constantFrom("LIVE__whoami", "LIVE__slow", "DEAD__alpha", "OTHER__x", "LIVE__nope") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      "__",
      "x__",
      "__x",
      "nope",
      "LIST_CONNECTORS_ALLOY",
      "list_connectors_alloy ",
      "a__b__c",
    ),
  },
  { weight: 1, arbitrary: fz.anyString },
);
const callParamsArb = fc.oneof(
  { weight: 10, arbitrary: fc.record({ name: toolNameArb, arguments: argumentsArb }, { requiredKeys: ["name"] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const initializeParamsArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        protocolVersion: fc.oneof(
          fc.constantFrom("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"),
          fc.constantFrom("1999-01-01", "", "2099-01-01"),
          fc.constantFrom<unknown>(5, null),
        ),
        capabilities: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 })),
        clientInfo: fc.oneof(fc.constant({ name: "fuzz", version: "1" }), fc.jsonValue({ maxDepth: 1 })),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const OTHER_METHODS = [
  "ping",
  "tools/list",
  "resources/list",
  "resources/templates/list",
  "prompts/list",
  "notifications/initialized",
];
const otherParamsArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      {},
      { cursor: "x" },
      { uri: "file:///etc/passwd" },
      { name: "p" },
      { level: "debug" },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const methodArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...OTHER_METHODS) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "resources/read",
      "prompts/get",
      "completion/complete",
      "logging/setLevel",
      "tools/unknown",
      "rpc.discover",
      "$/cancelRequest",
      "notifications/cancelled",
      "sampling/createMessage",
      "",
    ),
  },
  { weight: 1, arbitrary: fz.shortString },
);

type Message = Record<string, unknown>;
const requestArb = (method: fc.Arbitrary<string>, params: fc.Arbitrary<unknown>): fc.Arbitrary<Message> =>
  fc
    .record({
      id: idArb,
      method,
      params,
      notification: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .map(({ id, method: m, params: p, notification }) => ({
      jsonrpc: "2.0",
      ...(notification ? {} : { id }),
      method: m,
      ...(p === undefined ? {} : { params: p }),
    }));
const messageArb: fc.Arbitrary<Message> = fc.oneof(
  { weight: 5, arbitrary: requestArb(fc.constant("tools/call"), callParamsArb) },
  { weight: 3, arbitrary: requestArb(fc.constant("initialize"), initializeParamsArb) },
  { weight: 5, arbitrary: requestArb(methodArb, otherParamsArb) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Message>(
      { jsonrpc: "2.0", id: 1, result: {} },
      { jsonrpc: "2.0", id: 2, error: { code: -32000, message: "client error" } },
      { jsonrpc: "1.0", id: 3, method: "ping" },
      { id: 4, method: "ping" },
      { jsonrpc: "2.0", id: 5, method: "ping", extra: true },
      { jsonrpc: "2.0", id: 6 },
    ),
  },
);

type BodyChoice =
  { kind: "message"; message: Message } | { kind: "batch"; messages: Message[] } | { kind: "raw"; text: string };
const mcpBodyArb = (message: fc.Arbitrary<Message>): fc.Arbitrary<BodyChoice> =>
  fc.oneof(
    { weight: 14, arbitrary: message.map((m) => ({ kind: "message" as const, message: m })) },
    {
      weight: 3,
      arbitrary: fc
        .array(message, { minLength: 0, maxLength: 4 })
        .map((messages) => ({ kind: "batch" as const, messages })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        kind: "batch" as const,
        messages: Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "ping" })),
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom("", "{", "null", "[]", "0", '"ping"', '{"jsonrpc":"2.0","id":1,"method":"ping"', "\uFEFF{}"),
          fz.anyString,
        )
        .map((text) => ({ kind: "raw" as const, text })),
    },
  );

const headersArb = fc.record({
  accept: acceptArb,
  contentType: contentTypeArb,
  origin: originArb,
  session: sessionArb,
  protocolVersion: protocolVersionArb,
  claim: claimArb,
  requestId: fc.option(fz.shortString, { nil: undefined }),
});
type HeaderChoice = typeof headersArb extends fc.Arbitrary<infer T> ? T : never;

type Spec = {
  method: "POST" | "GET" | "DELETE";
  server: { kind: ServerKind; variant: string } | { raw: string };
  /** Token URL: which token; management URL: undefined, with `credential`. */
  token?:
    | "own"
    | "otherServer"
    | "rotatedOut"
    | "expired"
    | "truncated"
    | "suffixed"
    | "upper"
    | "apiKey"
    | "extraSegment"
    | { raw: string };
  credential?: fz.HeaderSpec;
  headers: HeaderChoice;
  body: BodyChoice;
};

// ---------------------------------------------------------------------------------------------------
// The oracle.

function resolveServer(spec: Spec["server"]): { id: string; fixture?: ServerFixture } {
  if ("raw" in spec) return { id: spec.raw };
  const fixture = servers[spec.kind];
  const variants: Record<string, string> = {
    exact: fixture.id,
    upper: fixture.id.toUpperCase(),
    suffix: `${fixture.id}x`,
    prefix: `x${fixture.id}`,
    space: `${fixture.id} `,
    truncated: fixture.id.slice(0, -1),
  };
  const id = variants[spec.variant] ?? fixture.id;
  return { id, fixture: id === fixture.id ? fixture : undefined };
}

/** The path's token segments, and whether they are the live token of the server named. */
function resolveToken(token: NonNullable<Spec["token"]>, server: ServerFixture | undefined, serverId: string) {
  const own = server?.token ?? servers.private.token;
  if (typeof token === "object") return { segments: [token.raw], live: false };
  const tokens: Record<Exclude<typeof token, object>, string[]> = {
    own: [own],
    otherServer: [server === servers.public ? servers.private.token : servers.public.token],
    rotatedOut: [setUp.rotatedOutToken],
    expired: [setUp.expiredToken],
    truncated: [own.slice(0, -1)],
    suffixed: [`${own}x`],
    upper: [own.toUpperCase()],
    apiKey: [fx.keyA],
    extraSegment: [own, "extra"],
  };
  const live = token === "own" && server !== undefined && server.id === serverId;
  return { segments: tokens[token], live };
}

/**
 * The end user a token-URL caller claims, or a refusal status. `verified`: a JWT (or the owner's own id);
 * any other x-alloy-userid is an unverified label of at most 256 characters.
 */
function claimedUser(h: HeaderChoice, server: ServerFixture): { user?: string; verified?: boolean; refusal?: number } {
  const c = h.claim;
  if (c.kind === "jwt") {
    if (c.who === "a") return server.accountId === fx.accountA ? { user: fz.JWT_USER } : { refusal: 401 };
    if (c.who === "b") return server.accountId === fx.accountB ? { user: "jwt-user-b" } : { refusal: 401 };
    return { refusal: 401 };
  }
  if (c.kind === "none") return {};
  const value = claimValue(c.who, server);
  if (value === "") return {};
  if (value.length > 256) return { refusal: 400 };
  return { user: value, verified: value === server.owner };
}
/** What the server reads from x-alloy-userid: the header value as sent, HTTP blanks around dropped. */
const claimValue = (who: string, server: ServerFixture) =>
  fz.headerSafe(who === "owner" ? server.owner : who).replace(/^[\t ]+|[\t ]+$/g, "");

/**
 * `refusals`: the request must be refused before the protocol, with one of these (or an `open` one);
 * `open`: refusals the contract leaves open; `access`: who the protocol acts as, when it may be reached.
 */
type Expectation = { refusals: Set<number>; open: Set<number>; access?: { server: ServerFixture; userId: string } };

function expectation(
  spec: Spec,
  headers: Headers,
  serverId: string,
  server: ServerFixture | undefined,
  segments: string[] | undefined,
  tokenLive: boolean,
): Expectation {
  const refusals = new Set<number>();
  const open = new Set<number>();
  if (segments && segments.length > 1) return { refusals: new Set([404]), open };
  const origin = headers.get("origin");
  if (origin !== null && origin !== ORIGIN) refusals.add(403);
  // "The client's Accept must include both application/json and text/event-stream, else 406." Media types
  // in other letter cases, and a GET or DELETE without both, are open.
  const accept = headers.get("accept") ?? "";
  const exact = (type: string) => accept.includes(type);
  const loose = (type: string) => accept.toLowerCase().includes(type);
  const both = exact("application/json") && exact("text/event-stream");
  if (!both) {
    if (spec.method === "DELETE") open.add(406);
    else if (
      spec.method === "GET" ? loose("text/event-stream") : loose("application/json") && loose("text/event-stream")
    )
      open.add(406);
    else refusals.add(406);
  }
  let access: Expectation["access"];
  if (segments) {
    if (!tokenLive || !server) refusals.add(401);
    else {
      const claim = claimedUser(spec.headers, server);
      if (claim.refusal) refusals.add(claim.refusal);
      else {
        const userId = server.isPublic ? (claim.user ?? server.owner) : server.owner;
        if (!server.isPublic && claim.user !== undefined && claim.user !== server.owner) refusals.add(403);
        else if (!server.admits(userId)) refusals.add(403);
        else if (server.isPublic && claim.verified === false && server.allowlistsUsers) refusals.add(403);
        else access = { server, userId };
      }
    }
  } else {
    const auth = fz.authOutcome(fx, headers);
    if (auth.also401) open.add(401);
    // An id that cannot be a server's (docs/api.md section 3's format) may be "not found" before credentials count.
    if (!/^[a-z0-9-]{1,40}-[0-9a-f]{8}$/.test(serverId)) open.add(404);
    if (!auth.principal) auth.statuses.forEach((s) => refusals.add(s));
    else if (!server || server.accountId !== auth.principal.accountId) refusals.add(404);
    else if (!server.isPublic && server.owner !== auth.principal.userId) refusals.add(403);
    else if (!server.admits(auth.principal.userId)) refusals.add(403);
    else access = { server, userId: auth.principal.userId };
  }
  return { refusals, open, access };
}

// ---------------------------------------------------------------------------------------------------
// One fuzzed request, end to end.

const withIds = (text: string) =>
  text
    .replaceAll('"LIVE', `"${setUp.liveConnector}`)
    .replaceAll('"DEAD', `"${setUp.deadConnector}`)
    .replaceAll('"OTHER', `"${setUp.otherAccountConnector}`);

function bodyText(body: BodyChoice): string {
  if (body.kind === "raw") return body.text;
  return withIds(JSON.stringify(body.kind === "message" ? body.message : body.messages));
}

/** The messages a body holds as sent (after the placeholders), or none when it is not JSON. */
function messagesIn(text: string | undefined): Message[] {
  try {
    const value = JSON.parse(text ?? "") as unknown;
    return (Array.isArray(value) ? value : [value]).filter(fz.isObject);
  } catch {
    return [];
  }
}

/** The requests (with an id) the body holds, by id: what each answer must respond to. */
function requestsOf(messages: Message[]): Map<unknown, Message> {
  const out = new Map<unknown, Message>();
  for (const m of messages) if ("id" in m && "method" in m) out.set(m.id, m);
  return out;
}
const countOf = (messages: Message[], predicate: (m: Message) => boolean) =>
  messages.filter((m) => "id" in m && predicate(m)).length;

function resolveSession(choice: HeaderChoice["session"], serverId: string, userId: string | undefined): string | null {
  if (choice === "none") return null;
  if (typeof choice === "object") return choice.raw;
  if (choice === "closed") return closedSessions.at(-1) ?? "closed-session";
  const mine = liveSessions.filter((s) => s.serverId === serverId && s.userId === userId);
  const others = liveSessions.filter((s) => s.serverId !== serverId);
  if (choice === "live") return mine.at(-1)?.id ?? others.at(-1)?.id ?? "no-session-yet";
  return others.at(-1)?.id ?? "no-other-session";
}

async function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${REQUEST_DEADLINE_MS} ms\n${what}`)),
      REQUEST_DEADLINE_MS,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

async function fuzzRequest(spec: Spec) {
  // 1. The concrete request.
  await pruneSessions();
  const { id: serverId, fixture: server } = resolveServer(spec.server);
  const tokenRoute = spec.token !== undefined;
  const token = tokenRoute ? resolveToken(spec.token!, server, serverId) : undefined;
  const h: Record<string, string> = spec.credential ? fz.resolveHeaders(fx, spec.credential, null) : {};
  const set = (name: string, value: string) => (h[name] = fz.headerSafe(value));
  set("accept", spec.headers.accept);
  if (spec.method === "POST") set("content-type", spec.headers.contentType);
  if (spec.headers.origin !== null) set("origin", spec.headers.origin);
  if (spec.headers.protocolVersion !== null) set("mcp-protocol-version", spec.headers.protocolVersion);
  if (spec.headers.requestId !== undefined) set("x-request-id", spec.headers.requestId);
  const claim = spec.headers.claim;
  if (tokenRoute && claim.kind === "userId") set("x-alloy-userid", server ? claimValue(claim.who, server) : claim.who);
  if (tokenRoute && claim.kind === "jwt") {
    const jwts: Record<string, string> = { a: fx.jwt, b: setUp.jwtB, expired: fx.expiredJwt, garbage: "not.a.jwt" };
    set("x-alloy-user-token", jwts[claim.who]!);
  }
  const headers = new Headers(h);
  const exp = expectation(spec, headers, serverId, server, token?.segments, token?.live ?? false);
  const sessionId = resolveSession(spec.headers.session, serverId, exp.access?.userId);
  if (sessionId !== null) headers.set("mcp-session-id", fz.headerSafe(sessionId) || "x");
  const text = spec.method === "POST" ? bodyText(spec.body) : undefined;
  const url = `${fz.BASE_URL}/mcp/${[serverId, ...(token?.segments ?? [])].map(encodeURIComponent).join("/")}`;
  const ctx = [
    `${spec.method} ${fz.clip(url, 300)}`,
    `headers: ${fz.clip(JSON.stringify(Object.fromEntries(headers)), 700)}`,
    `body: ${text === undefined ? "(none)" : fz.clip(JSON.stringify(text), 700)}`,
  ].join("\n");

  // 2. What may change: nothing on a refusal; past it, the rows the messages may write.
  const mustRefuse = exp.refusals.size > 0;
  const live = sessionId !== null && liveSessions.some((s) => s.id === sessionId);
  await rows.before(!mustRefuse);

  // 3. Send it.
  tally.sent();
  const request = new Request(url, { method: spec.method, headers, body: text });
  const handler = mcpRoute[spec.method];
  let response: Response;
  try {
    response = await withDeadline(
      handler(request, { params: Promise.resolve({ serverId, token: token?.segments }) }),
      ctx,
    );
  } catch (error) {
    throw new Error(`${ctx}\nthe request failed: ${String(error)}`, { cause: error });
  }
  tally.answered(response.status);
  const contentType = response.headers.get("content-type") ?? "";
  let raw = "";
  if (spec.method === "GET" && response.status === 200 && contentType.startsWith("text/event-stream")) {
    await response.body?.cancel(); // the session's stream stays open until the client leaves
  } else {
    raw = await withDeadline(response.text(), ctx);
  }
  const where = [
    `${ctx}\n→ ${response.status} ${fz.clip(raw, 700)}`,
    `refusals: ${[...exp.refusals].join(", ") || "none"}; open: ${[...exp.open].join(", ") || "none"}`,
  ].join("\n");

  // 4. The properties.
  if (response.status >= 500) expect.fail(`5xx\n${where}\nlogged: ${loggedError(response)}`);
  fz.checkNoPollution(where);
  const envelope = (() => {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return fz.isObject(parsed) && "error" in parsed && !("jsonrpc" in parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  })();
  const refusable = new Set([...exp.refusals, ...exp.open]);
  const refused = mustRefuse || (envelope !== undefined && refusable.has(response.status));
  if (refused) {
    expect([...refusable], `a refusal before the protocol\n${where}`).toContain(response.status);
    fz.checkErrorEnvelope(
      { status: response.status, headers: response.headers, body: envelope ?? raw },
      where,
      MCP_CODE_STATUSES,
    );
    await rows.unchanged(fz.clip(where, 1_500));
    return;
  }
  expect(exp.access, `the protocol reached without access\n${where}`).toBeDefined();
  const ok = response.status >= 200 && response.status < 300;
  if (envelope) {
    // Past the refusals, the endpoint's own envelope answers only GET and DELETE without a session.
    expect(spec.method !== "POST" && sessionId === null, `an envelope past the refusals\n${where}`).toBe(true);
    expect(response.status, where).toBe(400);
    fz.checkErrorEnvelope(
      { status: response.status, headers: response.headers, body: envelope },
      where,
      MCP_CODE_STATUSES,
    );
  } else if (!ok) {
    expect([400, 404, 406, 409, 413, 415], `a protocol error status\n${where}`).toContain(response.status);
    checkJsonRpcError(JSON.parse(raw), where);
  } else {
    checkAnswer(spec, response, raw, {
      sessionId,
      live,
      access: exp.access!,
      requests: requestsOf(messagesIn(text)),
      where,
    });
  }
  // The end user's binding is written before the protocol answers; the rest only by answered messages.
  const allow: fz.Allowance = { ServerUserBinding: 1 };
  if (ok) {
    const messages = messagesIn(text);
    allow.McpSession = countOf(messages, (m) => m.method === "initialize") + (spec.method === "DELETE" ? 1 : 0);
    allow.ToolCall = countOf(messages, (m) => m.method === "tools/call");
    allow.Credential = countOf(messages, (m) => fz.isObject(m.params) && m.params.name === "create_credential_alloy");
  }
  await rows.unchanged(fz.clip(where, 1_500), allow);
}

// Section 6 names the 406 but not its code: INVALID_REQUEST, the code of the other refusals of a request's form.
const MCP_CODE_STATUSES = { ...fz.CODE_STATUSES, INVALID_REQUEST: [400, 406, 413] };

function checkJsonRpcError(message: any, where: string) {
  expect(message?.jsonrpc, where).toBe("2.0");
  expect(Number.isInteger(message.error?.code), `an integer error code\n${where}`).toBe(true);
  expect(typeof message.error.message, where).toBe("string");
  expect("result" in message, where).toBe(false);
  // "Internal error" is the protocol's 5xx. The SDK (1.32) also answers it, with the schema's issues as the
  // message, for params that fail a request's schema (JSON-RPC says -32602): that much is the SDK's.
  if (message.error.code === -32603) {
    expect(() => JSON.parse(message.error.message as string) as unknown, `an internal error\n${where}`).not.toThrow();
    expect(Array.isArray(JSON.parse(message.error.message as string)), `an internal error\n${where}`).toBe(true);
  }
}

/** The JSON-RPC messages of an answer: one JSON value (or an array), or the data of SSE message events. */
function messagesOf(contentType: string, raw: string, where: string): any[] {
  if (contentType.startsWith("text/event-stream")) {
    return raw
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as unknown);
  }
  expect(contentType, where).toMatch(/^application\/json\b/);
  const value = JSON.parse(raw) as unknown;
  return Array.isArray(value) ? value : [value];
}

function checkAnswer(
  spec: Spec,
  response: Response,
  raw: string,
  c: {
    sessionId: string | null;
    live: boolean;
    access: { server: ServerFixture; userId: string };
    requests: Map<unknown, Message>;
    where: string;
  },
) {
  const { where, requests } = c;
  if (spec.method === "DELETE") {
    expect(c.live, `only a live session is closed\n${where}`).toBe(true);
    const at = liveSessions.findIndex((s) => s.id === c.sessionId);
    closedSessions.push(...liveSessions.splice(at, 1).map((s) => s.id));
    return;
  }
  if (spec.method === "GET") {
    expect(c.live, `only a live session has a stream\n${where}`).toBe(true);
    return;
  }
  if (response.status === 202) {
    expect(raw, where).toBe("");
    expect(requests.size, `202 only for notifications and responses\n${where}`).toBe(0);
    return;
  }
  expect(response.status, where).toBe(200);
  const messages = messagesOf(response.headers.get("content-type") ?? "", raw, where);
  const answered = new Set<unknown>();
  for (const message of messages) {
    expect(message.jsonrpc, where).toBe("2.0");
    expect(requests.has(message.id), `an answer to a request that was sent\n${where}`).toBe(true);
    answered.add(message.id);
    expect("result" in message !== "error" in message, `result or error\n${where}`).toBe(true);
    if ("error" in message) {
      checkJsonRpcError(message, where);
      continue;
    }
    checkResult(requests.get(message.id)!, message.result, c.access, where);
  }
  expect([...answered].length, `one answer per request\n${where}`).toBe(requests.size);
  const sessionId = response.headers.get("mcp-session-id");
  if (sessionId && !c.sessionId) {
    liveSessions.push({ id: sessionId, serverId: c.access.server.id, userId: c.access.userId });
  }
}

function checkResult(request: Message, result: any, access: { server: ServerFixture; userId: string }, where: string) {
  expect(fz.isObject(result), where).toBe(true);
  switch (request.method) {
    case "initialize": {
      expect(typeof result.protocolVersion, where).toBe("string");
      expect(result.serverInfo?.name, where).toBe("switchboard");
      if (access.server.instructions) expect(result.instructions, where).toBe(access.server.instructions);
      else expect(result.instructions, where).toBeUndefined();
      break;
    }
    case "tools/list": {
      const names: string[] = result.tools.map((t: { name: string }) => t.name);
      expect(names.filter((n) => ALLOY_TOOLS.includes(n)).sort(), where).toEqual([...ALLOY_TOOLS].sort());
      expect(names.filter((n) => !ALLOY_TOOLS.includes(n)).sort(), `exactly the permitted actions\n${where}`).toEqual(
        access.server.actionTools,
      );
      break;
    }
    case "tools/call": {
      expect(Array.isArray(result.content), `a tool result\n${where}`).toBe(true);
      for (const item of result.content) {
        expect(item.type, where).toBe("text");
        expect(typeof item.text, where).toBe("string");
      }
      if ("isError" in result) expect(typeof result.isError, where).toBe("boolean");
      const name = (request.params as { name?: unknown }).name;
      if (typeof name === "string" && ALLOY_TOOLS.includes(name)) {
        expect(() => JSON.parse(result.content[0].text as string), `JSON text\n${where}`).not.toThrow();
      }
      const permitted = [...ALLOY_TOOLS, ...access.server.actionTools];
      if (typeof name === "string" && !permitted.includes(name)) {
        expect(result.isError, `what is not listed cannot be called\n${where}`).toBe(true);
      }
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The properties.

const credentialArb = fc.record({
  credential: fz.credentialArb,
  garbage: fz.anyString,
  userId: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fz.userIdArb }),
  extra: fc.constant({}),
});

const postBody = mcpBodyArb(messageArb);
const callBody = mcpBodyArb(requestArb(fc.constant("tools/call"), callParamsArb));
const noBody = fc.constant<BodyChoice>({ kind: "raw", text: "" });

const property = (name: string, arb: fc.Arbitrary<Spec>, runs: number) =>
  fz.propertyTest(tally, rows, name, arb, fuzzRequest, runs);

describe(`MCP endpoint fuzz (seed ${fz.SEED})`, () => {
  property(
    "POST /mcp/{serverId}/{accessToken}",
    fc.record({
      method: fc.constant("POST" as const),
      server: serverArb,
      token: tokenArb,
      headers: headersArb,
      body: postBody,
    }),
    RUNS.tokenUrl,
  );
  property(
    "POST /mcp/{serverId} with management credentials",
    fc.record({
      method: fc.constant("POST" as const),
      server: serverArb,
      credential: credentialArb,
      headers: headersArb,
      body: postBody,
    }),
    RUNS.managementUrl,
  );
  property(
    "GET and DELETE /mcp/{serverId}[/{accessToken}]",
    fc.oneof(
      fc.record({
        method: fc.constantFrom("GET" as const, "DELETE" as const),
        server: serverArb,
        token: tokenArb,
        headers: headersArb,
        body: noBody,
      }),
      fc.record({
        method: fc.constantFrom("GET" as const, "DELETE" as const),
        server: serverArb,
        credential: credentialArb,
        headers: headersArb,
        body: noBody,
      }),
    ),
    RUNS.getDelete,
  );
  property(
    "tools/call with arbitrary names and arguments",
    fc.record({
      method: fc.constant("POST" as const),
      // Callers that pass every check, so that the calls reach the tools (in a session now and then).
      server: fc.record({
        kind: fc.constantFrom<ServerKind>("private", "public", "otherOwner", "connectorsAllowlist", "accountB"),
        variant: fc.constant("exact"),
      }),
      token: fc.constant("own" as const),
      headers: headersArb.map((h) => ({
        ...h,
        accept: "application/json, text/event-stream",
        contentType: "application/json",
        origin: null,
        protocolVersion: null,
        claim: { kind: "none" as const },
        session: h.session === "live" ? ("live" as const) : ("none" as const),
      })),
      body: callBody,
    }),
    RUNS.toolsCall,
  );

  it(`generated at least ${MIN_REQUESTS.toLocaleString("en")} requests`, () => {
    tally.check("mcp-endpoint", MIN_REQUESTS);
  });
});

// Found by this suite: the endpoint let "Accept: */*" through, and the SDK's transport then refused it with
// a JSON-RPC error body: a 406 without the error envelope.
describe("regressions found by fuzzing", () => {
  it("answers Accept: */* with 406 and the error envelope, before the protocol", async () => {
    const watch = new fz.RowWatch();
    await watch.before(false);
    const server = servers.private;
    const request = new Request(`${fz.BASE_URL}/mcp/${server.id}/${server.token}`, {
      method: "POST",
      headers: { accept: "*/*", "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    const response = await mcpRoute.POST(request, {
      params: Promise.resolve({ serverId: server.id, token: [server.token] }),
    });
    const body = (await response.json()) as unknown;
    expect(response.status).toBe(406);
    fz.checkErrorEnvelope(
      { status: response.status, headers: response.headers, body },
      JSON.stringify(body),
      MCP_CODE_STATUSES,
    );
    await watch.unchanged("Accept: */*");
    await watch.verify();
  });

  // An initialize sent as a notification (no id) opened a session: a row and a transport in memory that no
  // client could ever use (a 202 carries no session id), left until the idle sweep.
  it("opens no session for an initialize notification", async () => {
    const server = servers.private;
    const sessionsBefore = openSessionCount(server.id);
    const rowsBefore = await db().mcpSession.count({ where: { serverId: server.id } });
    const request = new Request(`${fz.BASE_URL}/mcp/${server.id}/${server.token}`, {
      method: "POST",
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } },
      }),
    });
    const response = await mcpRoute.POST(request, {
      params: Promise.resolve({ serverId: server.id, token: [server.token] }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect(openSessionCount(server.id)).toBe(sessionsBefore);
    expect(await db().mcpSession.count({ where: { serverId: server.id } })).toBe(rowsBefore);
  });
});
