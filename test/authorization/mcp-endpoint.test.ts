// The authorization matrix over the MCP endpoint (docs/api.md sections 2 and 6), driven in-process through the
// route handler with real Requests: POST (initialize, and a session-less tools/list), GET (a session's
// event stream) and DELETE (end a session) on the token URL /mcp/{serverId}/{accessToken} and on the API
// URL /mcp/{serverId} × every credential kind. A refusal answers with the REST error envelope, names
// nothing of any server, and leaves no trace: no session, binding or usage row, and the live session it
// named stays open. A working credential initializes with the server's instructions as the right user.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as mcpRoute from "@/app/mcp/[serverId]/[[...token]]/route";
import { db } from "@/server/db";
import { getSession } from "@/server/mcp/sessions";
import { sha256 } from "@/server/secrets";
import { mintJwt } from "@/server/services/jwt-keys";
import {
  APP_ORIGIN,
  cross,
  expectNoLeak,
  expectRefused,
  expectSameRefusal,
  FAILING,
  OVERRIDING_API,
  titled,
  unique,
  useCredentials,
  WORKING_API,
  type Headers,
} from "@/test/authorization";
import { browser, createJwt } from "@/test/factories";
import { bearer, call, type ApiResponse } from "@/test/route-client";

// ---- the endpoint ---------------------------------------------------------------------------------------

let rpcId = 0;
const rpc = (method: string, params: unknown = {}) => ({ jsonrpc: "2.0", id: ++rpcId, method, params });
const INITIALIZE = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "authz", version: "1" } };

/** One request to the MCP route handler; an SSE answer's first message becomes `body`. */
async function mcp(
  method: "POST" | "GET" | "DELETE",
  path: string,
  headers: Headers = {},
  body?: unknown,
): Promise<ApiResponse> {
  const url = new URL(path, APP_ORIGIN);
  const [, , serverId = "", ...token] = url.pathname.split("/");
  const request = new Request(url, {
    method,
    headers: {
      accept: "application/json, text/event-stream",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await mcpRoute[method](request, {
    params: Promise.resolve({
      serverId: decodeURIComponent(serverId),
      token: token.length ? token.map(decodeURIComponent) : undefined,
    }),
  });
  // A session's event stream stays open: its status and headers are the answer.
  if (method === "GET" && response.ok) {
    await response.body?.cancel();
    return { status: response.status, headers: response.headers, body: null, text: "" };
  }
  const text = await response.text();
  const sse = response.headers.get("content-type")?.startsWith("text/event-stream");
  const json = sse ? /^data: (.*)$/m.exec(text)?.[1] : text;
  return { status: response.status, headers: response.headers, body: json ? JSON.parse(json) : null, text };
}

/** The four ways to reach a server: open a session, a session-less call, a session's stream, end a session. */
type Op = { op: string; method: "POST" | "GET" | "DELETE"; body?: () => unknown; inSession: boolean };
const OPS: Op[] = [
  { op: "POST initialize", method: "POST", body: () => rpc("initialize", INITIALIZE), inSession: false },
  { op: "POST tools/list without a session", method: "POST", body: () => rpc("tools/list"), inSession: false },
  { op: "GET the session's event stream", method: "GET", inSession: true },
  { op: "DELETE the session", method: "DELETE", inSession: true },
];

// ---- fixtures -----------------------------------------------------------------------------------------

const c = useCredentials();
const COWORKER = "coworker-7";
/** An end user id that no server here lets in. */
const IMPOSTOR = "impostor-9";

type Server = {
  serverId: string;
  name: string;
  instructions: string;
  token: string;
  /** A live session on the server, which a refusal naming it must leave open. */
  sessionId: string;
};
const tokenUrl = (s: Server, token = s.token) => `/mcp/${s.serverId}/${token}`;
const apiUrl = (s: Server) => `/mcp/${s.serverId}`;

/** Account A: the owner's private server; a coworker's private and public servers; public servers whose users restriction blocks or allows. */
let own: Server;
let coworkerPrivate: Server;
let coworkerPublic: Server;
let blocking: Server;
let allowing: Server;
/** Account B's private server. */
let bobs: Server;
/** Gone or outdated tokens: of a deleted server, rotated out (without grace, after the grace), expired; and one still in its grace. */
let deleted: Server;
let rotatedOut: Server;
let pastGrace: Server;
let inGrace: Server & { oldToken: string };
let expired: Server;
const all = () => [
  own,
  coworkerPrivate,
  coworkerPublic,
  blocking,
  allowing,
  bobs,
  deleted,
  rotatedOut,
  pastGrace,
  inGrace,
  expired,
];

async function serverOf(headers: Headers, body: Record<string, unknown>): Promise<Omit<Server, "sessionId">> {
  const name = `${body.name as string} ${unique()}`;
  const instructions = `Instructions of ${name}: never reveal ${randomBytes(6).toString("hex")}`;
  const res = await call("POST", "/api/servers", {
    headers,
    body: { ...body, name, customInstructions: instructions },
  });
  expect(res.status, res.text).toBe(201);
  return { serverId: res.body.serverId, name, instructions, token: res.body.accessToken };
}

async function openSession(path: string, headers: Headers = {}) {
  const res = await mcp("POST", path, headers, rpc("initialize", INITIALIZE));
  expect(res.status, res.text).toBe(200);
  return res.headers.get("mcp-session-id")!;
}

async function live(server: Omit<Server, "sessionId">, headers: Headers = {}): Promise<Server> {
  return { ...server, sessionId: await openSession(tokenUrl(server as Server), headers) };
}

async function rotate(server: Omit<Server, "sessionId">, graceSeconds: number) {
  const res = await call("POST", `/api/servers/${server.serverId}/token`, {
    headers: bearer(c.alice.key),
    body: { graceSeconds },
  });
  expect(res.status, res.text).toBe(200);
  return { ...server, oldToken: server.token, token: res.body.accessToken as string };
}

const byAlice = () => bearer(c.alice.key);
const asCoworker = () => bearer(c.overrideKey, { "x-alloy-userid": COWORKER });

beforeAll(async () => {
  own = await live(await serverOf(byAlice(), { name: "Alice Private Ledger" }));
  coworkerPrivate = await live(await serverOf(asCoworker(), { name: "Coworker Salary Sheet" }));
  coworkerPublic = await live(await serverOf(asCoworker(), { name: "Coworker Public Desk", isPublic: true }));
  blocking = await live(
    await serverOf(byAlice(), {
      name: "Blocking Desk",
      isPublic: true,
      restrictions: { users: { mode: "blocklist", blockedIds: [c.alice.userId, "blocked-user"] } },
    }),
    { "x-alloy-userid": "visitor" },
  );
  allowing = await live(
    await serverOf(byAlice(), {
      name: "Allowing Desk",
      isPublic: true,
      restrictions: { users: { mode: "allowlist", allowedIds: ["allowed-user"] } },
    }),
    // An allowlist passes verified end users only (issue #12 finding 4).
    { "x-alloy-user-token": (await mintJwt(c.aliceKid, "allowed-user", 3600)).token },
  );
  bobs = await live(await serverOf(bearer(c.bob.key), { name: "Bob Confidential Roadmap" }));

  const doomed = await serverOf(byAlice(), { name: "Deleted Archive" });
  expect((await call("DELETE", `/api/servers/${doomed.serverId}`, { headers: byAlice() })).status).toBe(200);
  deleted = { ...doomed, sessionId: randomUUID() };

  const out = await rotate(await serverOf(byAlice(), { name: "Rotated Out" }), 0);
  rotatedOut = { ...(await live(out)), token: out.oldToken };
  const past = await rotate(await serverOf(byAlice(), { name: "Past Grace" }), 600);
  await db().serverAccessToken.update({
    where: { tokenHash: sha256(past.oldToken) },
    data: { graceUntil: new Date(Date.now() - 1000) },
  });
  pastGrace = { ...(await live(past)), token: past.oldToken };
  const within = await rotate(await serverOf(byAlice(), { name: "In Grace" }), 3600);
  inGrace = { ...(await live(within)), oldToken: within.oldToken };

  expired = await live(await serverOf(byAlice(), { name: "Expired Token" }));
  await db().serverAccessToken.updateMany({
    where: { serverId: expired.serverId },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
});

/** Every server's id, name, instructions and token: no refusal may show any of them. */
const secrets = () => all().flatMap((s) => [s.serverId, s.name, s.instructions, s.token]);

// ---- refusals -------------------------------------------------------------------------------------------

/** How a row reaches its server: the token URL or the API URL (unless it gives its own `path`). */
type Via = (server: Server) => string;

type Refusal = {
  credential: string;
  via: Via;
  path?: () => string;
  headers: () => Headers | Promise<Headers>;
  /** The server the request names: its live session is the one GET and DELETE send. */
  server: () => Server;
  status: number;
  code: string;
  message?: RegExp | string;
};

async function expectMcpRefused(op: Op, refusal: Refusal): Promise<ApiResponse> {
  const server = refusal.server();
  const path = refusal.path?.() ?? refusal.via(server);
  const headers = { ...(await refusal.headers()), ...(op.inSession ? { "mcp-session-id": server.sessionId } : {}) };
  const res = await expectRefused(() => mcp(op.method, path, headers, op.body?.()), {
    ...refusal,
    secrets: secrets(),
    headers,
  });
  expect(res.headers.get("mcp-session-id")).toBeNull();
  if (server !== deleted) expect(getSession(server.sessionId), "the named session was closed").toBeDefined();
  return res;
}

const INVALID_TOKEN = { status: 401, code: "UNAUTHORIZED", message: "Invalid access token" };
const ROTATED_OUT = { status: 401, code: "UNAUTHORIZED", message: "This access token has been rotated out" };
const PRIVATE_TOKEN = {
  status: 403,
  code: "FORBIDDEN",
  message: "This server is private: its token URL acts as its owner only",
};
const NOT_PERMITTED = { status: 403, code: "FORBIDDEN", message: /^User is not permitted on this server/ };
const FOREIGN_ORIGIN = { status: 403, code: "FORBIDDEN", message: "Requests from this Origin are not allowed" };

const TOKEN_URL_REFUSALS: Refusal[] = [
  { credential: "a malformed access token", path: () => tokenUrl(own, "not-a-token"), ...INVALID_TOKEN },
  {
    credential: "an unknown access token",
    path: () => tokenUrl(own, `sbt_${randomBytes(32).toString("base64url")}`),
    ...INVALID_TOKEN,
  },
  {
    credential: "the token without its last character",
    path: () => tokenUrl(own, own.token.slice(0, -1)),
    ...INVALID_TOKEN,
  },
  {
    credential: "the access token of another server of the account",
    path: () => tokenUrl(own, coworkerPrivate.token),
    ...INVALID_TOKEN,
  },
  {
    credential: "the access token of another account's server",
    path: () => tokenUrl(own, bobs.token),
    ...INVALID_TOKEN,
  },
  {
    credential: "this server's token under another account's server id",
    path: () => tokenUrl(bobs, own.token),
    server: () => bobs,
    ...INVALID_TOKEN,
  },
  {
    credential: "a malformed server id with a valid token",
    path: () => `/mcp/NOT_VALID/${own.token}`,
    ...INVALID_TOKEN,
  },
  { credential: "a deleted server's token", server: () => deleted, ...INVALID_TOKEN },
  {
    credential: "a token rotated out without grace",
    server: () => rotatedOut,
    ...ROTATED_OUT,
  },
  {
    credential: "a rotated-out token after its grace period",
    server: () => pastGrace,
    ...ROTATED_OUT,
  },
  {
    credential: "an expired token",
    server: () => expired,
    status: 401,
    code: "UNAUTHORIZED",
    message: "This access token has expired",
  },
  {
    credential: "the token URL with one path segment too many",
    path: () => `${tokenUrl(own)}/extra`,
    status: 404,
    code: "NOT_FOUND",
    message: "Not found",
  },
  {
    credential: "a private server's token URL with another x-alloy-userid",
    headers: () => ({ "x-alloy-userid": IMPOSTOR }),
    ...PRIVATE_TOKEN,
  },
  {
    credential: "a private server's token URL with a JWT of another end user of the account",
    headers: async () => ({ "x-alloy-user-token": (await mintJwt(c.aliceKid, IMPOSTOR, 600)).token }),
    ...PRIVATE_TOKEN,
  },
  {
    credential: "a private server's token URL with the owner's id in x-alloy-userid but the server of a coworker",
    server: () => coworkerPrivate,
    headers: () => ({ "x-alloy-userid": c.alice.userId }),
    ...PRIVATE_TOKEN,
  },
  {
    credential: "the token URL with a JWT of another account in x-alloy-user-token",
    headers: () => ({ "x-alloy-user-token": c.bobJwt }),
    status: 401,
    code: "UNAUTHORIZED",
    message: "Invalid user token",
  },
  {
    credential: "the token URL with an expired JWT in x-alloy-user-token",
    headers: () => ({ "x-alloy-user-token": c.expiredJwt }),
    status: 401,
    code: "UNAUTHORIZED",
    message: "JWT has expired",
  },
  {
    credential: "the token URL with garbage in x-alloy-user-token",
    headers: () => ({ "x-alloy-user-token": "not a token" }),
    status: 401,
    code: "UNAUTHORIZED",
  },
  {
    credential: "the token URL with a 10,001-character x-alloy-userid",
    headers: () => ({ "x-alloy-userid": "u".repeat(10_001) }),
    status: 400,
    code: "INVALID_REQUEST",
  },
  {
    // An unverified label is stored in usage records: 256 characters at most (issue #12).
    credential: "the token URL with a 257-character x-alloy-userid",
    headers: () => ({ "x-alloy-userid": "u".repeat(257) }),
    status: 400,
    code: "INVALID_REQUEST",
    message: "x-alloy-userid must be at most 256 characters on a token URL",
  },
  {
    credential: "a public server's token URL as its owner, whom the users blocklist names",
    server: () => blocking,
    ...NOT_PERMITTED,
  },
  {
    credential: "a public server's token URL with an x-alloy-userid the users blocklist names",
    server: () => blocking,
    headers: () => ({ "x-alloy-userid": "blocked-user" }),
    ...NOT_PERMITTED,
  },
  {
    credential: "a public server's token URL as its owner, whom the users allowlist does not name",
    server: () => allowing,
    ...NOT_PERMITTED,
  },
  {
    credential: "a public server's token URL with an x-alloy-userid the users allowlist does not name",
    server: () => allowing,
    headers: () => ({ "x-alloy-userid": IMPOSTOR }),
    ...NOT_PERMITTED,
  },
  {
    // Issue #12 finding 4: anyone holding the URL can write the header, so it never passes an allowlist.
    credential: "a public server's token URL with an unverified x-alloy-userid the users allowlist names",
    server: () => allowing,
    headers: () => ({ "x-alloy-userid": "allowed-user" }),
    status: 403,
    code: "FORBIDDEN",
    message:
      "User is not permitted on this server (users allowlist): an unverified x-alloy-userid never passes it, send x-alloy-user-token",
  },
  {
    credential: "a public server's token URL with a JWT of a user the users allowlist does not name",
    server: () => allowing,
    headers: async () => ({ "x-alloy-user-token": (await mintJwt(c.aliceKid, IMPOSTOR, 600)).token }),
    ...NOT_PERMITTED,
  },
  {
    credential: "the token URL with an Origin of another site",
    headers: () => ({ origin: "https://evil.example" }),
    ...FOREIGN_ORIGIN,
  },
  { credential: 'the token URL with Origin "null"', headers: () => ({ origin: "null" }), ...FOREIGN_ORIGIN },
  {
    credential: "the token URL with the dashboard's cookie and an Origin of another site",
    headers: () => browser(c.aliceCookie, "https://evil.example"),
    ...FOREIGN_ORIGIN,
  },
].map((refusal) => ({ via: tokenUrl, server: () => own, headers: () => ({}), ...refusal }));

const NOT_FOUND = { status: 404, code: "NOT_FOUND", message: "Server not found" };
const OTHER_USERS_PRIVATE = {
  status: 403,
  code: "FORBIDDEN",
  message: "This server is private and belongs to another user of the account",
};

const API_URL_REFUSALS: Refusal[] = [
  // Section 2's credentials that fail on every REST route fail here the same way.
  ...FAILING.map((failing) => ({ ...failing, status: 401, code: "UNAUTHORIZED" })),
  // The dashboard's session is no credential of the MCP endpoint at all, valid or not.
  {
    credential: "the owner's valid session cookie with the app's Origin",
    headers: () => browser(c.aliceCookie),
    status: 401,
    code: "UNAUTHORIZED",
    message: /^Missing credentials/,
  },
  {
    credential: "the owner's valid session cookie without Origin",
    headers: () => ({ cookie: c.aliceCookie }),
    status: 401,
    code: "UNAUTHORIZED",
    message: /^Missing credentials/,
  },
  // Valid API credentials naming a user they may not act as.
  ...OVERRIDING_API.map((o) => ({ ...o, status: 403, code: "FORBIDDEN" })),
  {
    credential: "a plain key naming the coworker who owns the private server as x-alloy-userid",
    server: () => coworkerPrivate,
    headers: () => bearer(c.alice.key, { "x-alloy-userid": COWORKER }),
    status: 403,
    code: "FORBIDDEN",
    message: "This API key may not act as another user (x-alloy-userid)",
  },
  // The same account, another end user's private server, with and without an override key.
  ...[
    { credential: "the account's API key", headers: () => bearer(c.alice.key) },
    { credential: "a JWT of the account", headers: () => bearer(c.aliceJwt) },
    { credential: "a JWT of the account in x-alloy-user-token", headers: () => ({ "x-alloy-user-token": c.aliceJwt }) },
    {
      credential: "the override key acting as a third user",
      headers: () => bearer(c.overrideKey, { "x-alloy-userid": "third" }),
    },
  ].map((caller) => ({
    ...caller,
    credential: `${caller.credential} on another end user's private server`,
    server: () => coworkerPrivate,
    ...OTHER_USERS_PRIVATE,
  })),
  // Public servers: the users restriction decides.
  {
    credential: "the account's API key on a public server whose users blocklist names its user",
    server: () => blocking,
    headers: () => bearer(c.alice.key),
    ...NOT_PERMITTED,
  },
  {
    credential: "the override key as a user the public server's blocklist names",
    server: () => blocking,
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": "blocked-user" }),
    ...NOT_PERMITTED,
  },
  {
    credential: "the account's API key on a public server whose users allowlist does not name its user",
    server: () => allowing,
    headers: () => bearer(c.alice.key),
    ...NOT_PERMITTED,
  },
  {
    credential: "a JWT of a user the public server's allowlist does not name",
    server: () => allowing,
    headers: async () => bearer((await mintJwt(c.aliceKid, IMPOSTOR, 600)).token),
    ...NOT_PERMITTED,
  },
  {
    credential: "the account's API key with an Origin of another site",
    headers: () => bearer(c.alice.key, { origin: "https://evil.example" }),
    ...FOREIGN_ORIGIN,
  },
  {
    credential: "the override key with a 10,001-character x-alloy-userid",
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": "u".repeat(10_001) }),
    status: 400,
    code: "INVALID_REQUEST",
  },
].map((refusal) => ({ via: apiUrl, server: () => own, ...refusal }));

describe("refused on the token URL", () => {
  it.each(titled(cross(TOKEN_URL_REFUSALS, OPS), (row) => `${row.op} with ${row.credential}`))("%s", async (_, row) => {
    await expectMcpRefused(row, row);
  });
});

describe("refused on the API URL", () => {
  it.each(titled(cross(API_URL_REFUSALS, OPS), (row) => `${row.op} with ${row.credential}`))("%s", async (_, row) => {
    await expectMcpRefused(row, row);
  });

  it.each(titled(OPS, (op) => `${op.op} without credentials on a server id that cannot exist is 401, like any other`))(
    "%s",
    async (_, op) => {
      await expectMcpRefused(op, {
        credential: "none",
        via: apiUrl,
        path: () => "/mcp/NOT_VALID",
        headers: () => ({}),
        server: () => own,
        status: 401,
        code: "UNAUTHORIZED",
      });
    },
  );
});

describe("another account's server is indistinguishable from a missing one", () => {
  const callers = [
    { credential: "an API key of another account", headers: () => bearer(c.alice.key) },
    { credential: "a JWT of another account", headers: () => bearer(c.aliceJwt) },
    {
      credential: "another account's override key acting as the owner's user id",
      headers: () => bearer(c.overrideKey, { "x-alloy-userid": c.bob.userId }),
    },
  ];
  it.each(titled(cross(callers, OPS), (row) => `${row.op} with ${row.credential}: 404 NOT_FOUND`))(
    "%s",
    async (_, row) => {
      const missingId = bobs.serverId.replace(/[0-9a-f]{8}$/, (hex) => (hex === "0badc0de" ? "0badf00d" : "0badc0de"));
      const refusal = { ...row, via: apiUrl, server: () => bobs, ...NOT_FOUND };
      const theirs = await expectMcpRefused(row, refusal);
      const missing = await expectMcpRefused(row, { ...refusal, path: () => `/mcp/${missingId}` });
      const malformed = await expectMcpRefused(row, { ...refusal, path: () => "/mcp/NOT_VALID" });
      expect(theirs.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
      expectSameRefusal(theirs, missing);
      expectSameRefusal(theirs, malformed);
    },
  );
});

// ---- credentials that must work ---------------------------------------------------------------------------

type Working = {
  credential: string;
  via: Via;
  path?: () => string;
  headers: () => Headers | Promise<Headers>;
  server: () => Server | Promise<Server>;
  /** The end user the request must act as. */
  user: () => string;
};

const WORKING_TOKEN_URL: Working[] = [
  { credential: "the token URL (acts as the owner)", user: () => c.alice.userId },
  {
    credential: "the token URL with the owner's own id as x-alloy-userid",
    headers: () => ({ "x-alloy-userid": c.alice.userId }),
    user: () => c.alice.userId,
  },
  {
    credential: "the token URL with the owner's JWT in x-alloy-user-token",
    headers: () => ({ "x-alloy-user-token": c.aliceJwt }),
    user: () => c.alice.userId,
  },
  {
    credential: "the token URL with the app's own Origin",
    headers: () => ({ origin: APP_ORIGIN }),
    user: () => c.alice.userId,
  },
  {
    credential: "the token URL with another account's API key beside it (the token decides)",
    headers: () => bearer(c.bob.key),
    user: () => c.alice.userId,
  },
  {
    credential: "a rotated-out token within its grace period",
    path: () => tokenUrl(inGrace, inGrace.oldToken),
    server: () => inGrace,
    user: () => c.alice.userId,
  },
  {
    credential: "the new token after a rotation",
    server: () => inGrace,
    user: () => c.alice.userId,
  },
  {
    credential: "a public server's token URL (acts as its owner)",
    server: () => coworkerPublic,
    user: () => COWORKER,
  },
  {
    credential: "a public server's token URL with x-alloy-userid",
    server: () => coworkerPublic,
    headers: () => ({ "x-alloy-userid": "visitor-1" }),
    user: () => "visitor-1",
  },
  {
    credential: "a public server's token URL with a JWT of the account in x-alloy-user-token",
    server: () => coworkerPublic,
    headers: async () => ({ "x-alloy-user-token": (await createJwt(c.alice.accountId, "jwt-visitor")).token }),
    user: () => "jwt-visitor",
  },
  {
    // The cookie is no credential here: the token URL still acts as the server's owner, not as the cookie's user.
    credential: "a public server's token URL with the dashboard cookie of another user",
    server: () => coworkerPublic,
    headers: () => browser(c.aliceCookie),
    user: () => COWORKER,
  },
  {
    credential: "a public server's token URL with a JWT of a user its allowlist names",
    server: () => allowing,
    headers: async () => ({ "x-alloy-user-token": (await mintJwt(c.aliceKid, "allowed-user", 600)).token }),
    user: () => "allowed-user",
  },
  {
    credential: "a public server's token URL with a user its blocklist does not name",
    server: () => blocking,
    headers: () => ({ "x-alloy-userid": "visitor-2" }),
    user: () => "visitor-2",
  },
].map((working) => ({ via: tokenUrl, server: () => own, headers: () => ({}), ...working }));

/** A private server of each end user the API credentials act as, made on first use. */
const privateServers = new Map<string, Promise<Server>>();
const privateServerOf = (userId: string) => {
  if (!privateServers.has(userId)) {
    privateServers.set(
      userId,
      serverOf(bearer(c.overrideKey, { "x-alloy-userid": userId }), { name: "Private" }).then((s) => ({
        ...s,
        sessionId: "",
      })),
    );
  }
  return privateServers.get(userId)!;
};

const WORKING_API_URL: Working[] = [
  {
    credential: "the account's API key on another end user's public server",
    server: () => coworkerPublic,
    headers: () => bearer(c.alice.key),
    user: () => c.alice.userId,
  },
  {
    credential: "the override key acting as the owner of another end user's private server",
    server: () => coworkerPrivate,
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": COWORKER }),
    user: () => COWORKER,
  },
  {
    credential: "the override key as a user the public server's allowlist names",
    server: () => allowing,
    headers: () => bearer(c.overrideKey, { "x-alloy-userid": "allowed-user" }),
    user: () => "allowed-user",
  },
].map((working) => ({ via: apiUrl, ...working }));

describe("working credentials", () => {
  const matrix: Working[] = [
    ...WORKING_TOKEN_URL,
    ...WORKING_API_URL,
    // Section 2's working credentials on the API URL of a private server of the user they act as.
    ...WORKING_API.map(({ credential, headers, user }) => ({
      credential: `the API URL with ${credential}`,
      via: apiUrl,
      headers,
      user,
      server: () => privateServerOf(user()),
    })),
  ];

  it.each(titled(cross(matrix, OPS), (row) => `${row.op} with ${row.credential}`))("%s", async (_, row) => {
    const userId = row.user();
    const server = await row.server();
    const path = row.path?.() ?? row.via(server);
    const headers = await row.headers();
    const others = all().filter((s) => s.serverId !== server.serverId);
    const otherSecrets = others.flatMap((s) => [s.serverId, s.name, s.instructions, s.token]);

    let sessionId: string | undefined;
    if (row.inSession) sessionId = await openSession(path, headers);
    const res = await mcp(
      row.method,
      path,
      { ...headers, ...(sessionId ? { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" } : {}) },
      row.body?.(),
    );
    expect(res.status, res.text).toBe(200);
    expectNoLeak(res, otherSecrets);
    const binding = await db().serverUserBinding.findUnique({
      where: { serverId_userKey: { serverId: server.serverId, userKey: sha256(userId) } },
    });
    expect(binding, "the end user is bound to the server").not.toBeNull();

    switch (row.op) {
      case "POST initialize": {
        expect(res.body.result.instructions).toBe(server.instructions);
        const session = await db().mcpSession.findUniqueOrThrow({ where: { id: res.headers.get("mcp-session-id")! } });
        expect(session).toMatchObject({ serverId: server.serverId, userId, closedAt: null });
        break;
      }
      case "POST tools/list without a session":
        expect(res.headers.get("mcp-session-id")).toBeNull();
        expect(res.body.result.tools.map((t: { name: string }) => t.name)).toContain("list_connectors_alloy");
        break;
      case "GET the session's event stream":
        expect(res.headers.get("content-type")).toContain("text/event-stream");
        break;
      case "DELETE the session":
        expect(getSession(sessionId!)).toBeUndefined();
        expect((await db().mcpSession.findUniqueOrThrow({ where: { id: sessionId! } })).closedAt).not.toBeNull();
        break;
    }
  });
});

// Last on purpose: these answer from the protocol layer and leave no background write behind, so the
// file's database closes with nothing in flight (open sessions are simply dropped with the process).
describe("a session belongs to its server and its user", () => {
  const sessionOps = OPS.filter((op) => op.inSession);
  it.each(titled(sessionOps, (op) => `${op.op} of another server's session, with this server's token`))(
    "%s: 404 Session not found, and that session stays open",
    async (_, op) => {
      const res = await mcp(op.method, tokenUrl(own), { "mcp-session-id": coworkerPrivate.sessionId });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" } });
      expectNoLeak(res, secrets());
      expect(getSession(coworkerPrivate.sessionId)).toBeDefined();
    },
  );

  it.each(titled(sessionOps, (op) => `${op.op} of another end user's session on the same public server`))(
    "%s: 404 Session not found, and that session stays open",
    async (_, op) => {
      const res = await mcp(op.method, tokenUrl(coworkerPublic), {
        "x-alloy-userid": IMPOSTOR,
        "mcp-session-id": coworkerPublic.sessionId,
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { code: -32001, message: "Session not found" } });
      expect(getSession(coworkerPublic.sessionId)).toBeDefined();
    },
  );
});
