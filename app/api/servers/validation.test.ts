// Input validation of the server routes (docs/api.md sections 3 and 4): every bad input is a 4xx with the
// error envelope, names the offending field, and changes nothing; the limits themselves are accepted.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTenant } from "@/test/factories";
import { bearer, call, type ApiResponse, type CallOptions } from "@/test/route-client";
import { expectError } from "@/test/assertions";

let auth: Record<string, string>;

beforeAll(async () => {
  auth = bearer((await createTenant()).key);
});

const uniqueName = (prefix = "Server") => `${prefix} ${randomBytes(4).toString("hex")}`;

/** it.each rows `[title, case]`: "%s" prints the whole title, where "$field" would truncate it. */
const titled = <T>(cases: T[], title: (c: T) => string) => cases.map((c) => [title(c), c] as [string, T]);

async function counts() {
  return {
    servers: await db().mcpServer.count(),
    tokens: await db().serverAccessToken.count(),
    audit: await db().auditEvent.count(),
    restrictions: await db().serverRestriction.count(),
    restrictionValues: await db().serverRestrictionValue.count(),
  };
}

/** A 400 INVALID_REQUEST whose first issue names `path`. */
function expectInvalid(res: ApiResponse, path: string) {
  expectError(res, 400, "INVALID_REQUEST");
  expect(Array.isArray(res.body.error.details?.issues), res.text).toBe(true);
  expect(res.body.error.details.issues.length).toBeGreaterThan(0);
  expect(res.body.error.details.issues[0].path, res.text).toBe(path);
  for (const issue of res.body.error.details.issues) {
    expect(typeof issue.path).toBe("string");
    expect(typeof issue.message).toBe("string");
  }
}

/** Runs the request and checks that no row was added or removed anywhere. */
async function unchanged(send: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await counts();
  const res = await send();
  expect(await counts()).toEqual(before);
  return res;
}

const createServer = async (body: Record<string, unknown> = {}) => {
  const res = await call("POST", "/api/servers", { headers: auth, body: { name: uniqueName(), ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

/** The server as stored, to prove that a refused PUT left it as it was. */
const stored = (id: string) =>
  db().mcpServer.findUnique({
    where: { id },
    include: { restrictions: { include: { values: true } }, accessTokens: true },
  });

/** PUT on a fresh server; checks the server and the row counts are exactly as before. */
async function putUnchanged(options: CallOptions): Promise<ApiResponse> {
  const server = await createServer({
    description: "original",
    restrictions: { connectors: { mode: "allowlist", allowedIds: ["slack"] } },
  });
  const before = await stored(server.serverId);
  const res = await unchanged(() => call("PUT", `/api/servers/${server.serverId}`, { headers: auth, ...options }));
  expect(await stored(server.serverId)).toEqual(before);
  return res;
}

const json = { "content-type": "application/json" };

// ---- bodies that are not a JSON object -------------------------------------------------------------------

describe("bodies that are not JSON objects", () => {
  const malformed = ["{not json", '{"name": "x",}', "{'name': 'x'}", '{"name": "x"', "undefined", "NaN"];

  it.each(titled(malformed, (raw) => `POST with malformed JSON ${JSON.stringify(raw)} is 400`))(
    "%s",
    async (_, raw) => {
      const res = await unchanged(() => call("POST", "/api/servers", { headers: { ...auth, ...json }, rawBody: raw }));
      expectError(res, 400, "INVALID_REQUEST");
      expect(res.body.error.message).toBe("Request body is not valid JSON");
    },
  );

  it.each(titled(malformed, (raw) => `PUT with malformed JSON ${JSON.stringify(raw)} is 400`))("%s", async (_, raw) => {
    const res = await putUnchanged({ headers: { ...auth, ...json }, rawBody: raw });
    expectError(res, 400, "INVALID_REQUEST");
    expect(res.body.error.message).toBe("Request body is not valid JSON");
  });

  it.each(titled(["", "   ", "\n"], (raw) => `POST with an empty body ${JSON.stringify(raw)} is 400`))(
    "%s",
    async (_, raw) => {
      const res = await unchanged(() => call("POST", "/api/servers", { headers: { ...auth, ...json }, rawBody: raw }));
      expectInvalid(res, "(root)");
    },
  );

  it("POST with no body at all is 400", async () => {
    expectInvalid(await unchanged(() => call("POST", "/api/servers", { headers: auth })), "(root)");
  });

  it("PUT with an empty body is 400", async () => {
    expectInvalid(await putUnchanged({ headers: { ...auth, ...json }, rawBody: "" }), "(root)");
  });

  const notObjects = ["[]", '[{"name":"x"}]', '"a string"', "null", "42", "true"];

  it.each(titled(notObjects, (raw) => `POST with the JSON ${raw} is 400 at (root)`))("%s", async (_, raw) => {
    const res = await unchanged(() => call("POST", "/api/servers", { headers: { ...auth, ...json }, rawBody: raw }));
    expectInvalid(res, "(root)");
  });

  it.each(titled(notObjects, (raw) => `PUT with the JSON ${raw} is 400 at (root)`))("%s", async (_, raw) => {
    expectInvalid(await putUnchanged({ headers: { ...auth, ...json }, rawBody: raw }), "(root)");
  });

  it("POST with a body over 10 MB is 413 INVALID_REQUEST", async () => {
    const rawBody = JSON.stringify({ name: uniqueName(), description: "x".repeat(10 * 1024 * 1024) });
    const res = await unchanged(() => call("POST", "/api/servers", { headers: { ...auth, ...json }, rawBody }));
    expectError(res, 413, "INVALID_REQUEST");
  });
});

// ---- field by field ----------------------------------------------------------------------------------

type BadCase = { title: string; body: Record<string, unknown>; path: string; fields?: string[] };

const list = (n: number) => Array.from({ length: n }, (_, i) => `value-${i}`);

/** Bad fields shared by POST (merged over a valid name) and PUT. */
const BAD_FIELDS: BadCase[] = [
  { title: "name as a number", body: { name: 42 }, path: "name" },
  { title: "name null", body: { name: null }, path: "name" },
  { title: "name as an array", body: { name: ["a"] }, path: "name" },
  { title: 'isPublic "yes"', body: { isPublic: "yes" }, path: "isPublic" },
  { title: "isPublic 1", body: { isPublic: 1 }, path: "isPublic" },
  { title: "isPublic null", body: { isPublic: null }, path: "isPublic" },
  { title: "description as a number", body: { description: 5 }, path: "description" },
  { title: "description null", body: { description: null }, path: "description" },
  { title: "customInstructions as an array", body: { customInstructions: ["x"] }, path: "customInstructions" },
  { title: "description of 10,001 characters", body: { description: "d".repeat(10_001) }, path: "description" },
  {
    title: "customInstructions of 10,001 characters",
    body: { customInstructions: "c".repeat(10_001) },
    path: "customInstructions",
  },
  { title: "restrictions as a string", body: { restrictions: "none" }, path: "restrictions" },
  { title: "restrictions as an array", body: { restrictions: [] }, path: "restrictions" },
  { title: "restrictions null", body: { restrictions: null }, path: "restrictions" },
  {
    title: 'connectors mode "whitelist"',
    body: { restrictions: { connectors: { mode: "whitelist", allowedIds: ["a"] } } },
    path: "restrictions.connectors.mode",
  },
  {
    title: 'actions mode "ALLOWLIST"',
    body: { restrictions: { actions: { mode: "ALLOWLIST" } } },
    path: "restrictions.actions.mode",
  },
  {
    title: "users mode missing",
    body: { restrictions: { users: { allowedIds: ["u1"] } } },
    path: "restrictions.users.mode",
  },
  {
    title: "users mode null",
    body: { restrictions: { users: { mode: null } } },
    path: "restrictions.users.mode",
  },
  {
    title: "connectors as a string",
    body: { restrictions: { connectors: "allowlist" } },
    path: "restrictions.connectors",
  },
  {
    title: "allowedIds as a string",
    body: { restrictions: { connectors: { mode: "allowlist", allowedIds: "slack" } } },
    path: "restrictions.connectors.allowedIds",
  },
  {
    title: "allowedIds holding a number",
    body: { restrictions: { connectors: { mode: "allowlist", allowedIds: ["slack", 7] } } },
    path: "restrictions.connectors.allowedIds.1",
  },
  {
    title: "an unknown restriction dimension",
    body: { restrictions: { groups: { mode: "allowlist" } } },
    path: "restrictions",
    fields: ["groups"],
  },
  {
    title: "an unknown field inside connectors",
    body: { restrictions: { connectors: { mode: "allowlist", allowedIds: [], extra: true } } },
    path: "restrictions.connectors",
    fields: ["extra"],
  },
  {
    title: "connectors' list names used under actions",
    body: { restrictions: { actions: { mode: "blocklist", blockedIds: ["x"] } } },
    path: "restrictions.actions",
    fields: ["blockedIds"],
  },
  {
    title: "actions' list names used under users",
    body: { restrictions: { users: { mode: "allowlist", allowedActions: ["x"] } } },
    path: "restrictions.users",
    fields: ["allowedActions"],
  },
  ...(
    [
      ["connectors", "allowedIds"],
      ["connectors", "blockedIds"],
      ["actions", "allowedActions"],
      ["actions", "blockedActions"],
      ["users", "allowedIds"],
      ["users", "blockedIds"],
    ] as const
  ).map(([dimension, key]) => ({
    title: `${dimension}.${key} of 1,001 items`,
    body: { restrictions: { [dimension]: { mode: "blocklist", [key]: list(1_001) } } },
    path: `restrictions.${dimension}.${key}`,
  })),
  { title: "unknown top-level fields", body: { foo: 1, bar: "x" }, path: "(root)", fields: ["foo", "bar"] },
  { title: "a read-only field (serverId)", body: { serverId: "mine-00000000" }, path: "(root)", fields: ["serverId"] },
  { title: "a read-only field (accessToken)", body: { accessToken: "sbt_x" }, path: "(root)", fields: ["accessToken"] },
  { title: "a field in the wrong case (Name)", body: { Name: "x" }, path: "(root)", fields: ["Name"] },
];

const TOKEN_DAYS: [string, unknown][] = [
  ['"30"', "30"],
  ["1.5", 1.5],
  ["0", 0],
  ["366", 366],
  ["-1", -1],
  ["null", null],
];

const BAD_NAMES = ["", " leading", "trailing ", "-dash-start", "end_", "a".repeat(101), "bad!char", "tab\there"];
const GOOD_NAMES = ["a".repeat(100), "a", "A b-c_d", "Café 2", "9", "Ünïcode Ñame 日本"];

function expectFields(res: ApiResponse, fields: string[] | undefined) {
  if (!fields) return;
  const issue = res.body.error.details.issues[0];
  expect([...issue.fields].sort()).toEqual([...fields].sort());
  for (const field of fields) expect(issue.message).toContain(field);
}

describe("POST /api/servers field validation", () => {
  it.each(titled(BAD_FIELDS, (c) => `${c.title} is 400 at ${c.path}`))("%s", async (_, { body, path, fields }) => {
    const res = await unchanged(() =>
      call("POST", "/api/servers", { headers: auth, body: { name: uniqueName(), ...body } }),
    );
    expectInvalid(res, path);
    expectFields(res, fields);
  });

  it("a missing name is 400 at name", async () => {
    expectInvalid(await unchanged(() => call("POST", "/api/servers", { headers: auth, body: {} })), "name");
    expectInvalid(
      await unchanged(() => call("POST", "/api/servers", { headers: auth, body: { description: "no name" } })),
      "name",
    );
  });

  it.each(titled(TOKEN_DAYS, ([label]) => `tokenExpiresInDays ${label} is 400`))("%s", async (_, [, days]) => {
    const res = await unchanged(() =>
      call("POST", "/api/servers", { headers: auth, body: { name: uniqueName(), tokenExpiresInDays: days } }),
    );
    expectInvalid(res, "tokenExpiresInDays");
  });

  it.each(titled([1, 365], (days) => `tokenExpiresInDays ${days} is accepted`))("%s", async (_, days) => {
    const server = await createServer({ tokenExpiresInDays: days });
    expect(Math.round((Date.parse(server.tokenExpiresAt) - Date.now()) / 86_400_000)).toBe(days);
  });

  it.each(titled(BAD_NAMES, (name) => `name ${JSON.stringify(name)} is 400 at name`))("%s", async (_, name) => {
    const res = await unchanged(() => call("POST", "/api/servers", { headers: auth, body: { name } }));
    expectInvalid(res, "name");
  });

  it.each(titled(GOOD_NAMES, (name) => `name ${JSON.stringify(name)} is accepted`))("%s", async (_, name) => {
    const res = await call("POST", "/api/servers", { headers: auth, body: { name } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.name).toBe(name);
    expect(await db().mcpServer.findUnique({ where: { id: res.body.serverId } })).toMatchObject({ name });
  });

  it("description and customInstructions of exactly 10,000 characters are accepted", async () => {
    const description = "d".repeat(10_000);
    const customInstructions = "c".repeat(10_000);
    const server = await createServer({ description, customInstructions });
    expect(server.description).toBe(description);
    expect(server.customInstructions).toBe(customInstructions);
  });

  it("restriction lists of exactly 1,000 items each are accepted and stored whole", async () => {
    const restrictions = {
      connectors: { mode: "allowlist", allowedIds: list(1_000), blockedIds: list(1_000) },
      actions: { mode: "blocklist", allowedActions: list(1_000), blockedActions: list(1_000) },
      users: { mode: "allowlist", allowedIds: list(1_000), blockedIds: list(1_000) },
    };
    const server = await createServer({ restrictions });
    expect(server.restrictions).toEqual(restrictions);
    expect(await db().serverRestrictionValue.count({ where: { serverId: server.serverId } })).toBe(6_000);
  });

  it("a JSON __proto__ key is an unknown field, not a way to set fields", async () => {
    const rawBody = `{"name":"${uniqueName()}","__proto__":{"isPublic":true}}`;
    const res = await unchanged(() => call("POST", "/api/servers", { headers: { ...auth, ...json }, rawBody }));
    expectInvalid(res, "(root)");
  });
});

describe("PUT /api/servers/{serverId} field validation", () => {
  it.each(titled(BAD_FIELDS, (c) => `${c.title} is 400 at ${c.path}`))("%s", async (_, { body, path, fields }) => {
    const res = await putUnchanged({ body });
    expectInvalid(res, path);
    expectFields(res, fields);
  });

  it.each(titled(TOKEN_DAYS, ([label]) => `tokenExpiresInDays ${label} is an unknown field on PUT`))(
    "%s",
    async (_, [, days]) => {
      const res = await putUnchanged({ body: { tokenExpiresInDays: days } });
      expectInvalid(res, "(root)");
      expectFields(res, ["tokenExpiresInDays"]);
    },
  );

  it("a valid tokenExpiresInDays is an unknown field on PUT too (rotation sets it)", async () => {
    const res = await putUnchanged({ body: { description: "new", tokenExpiresInDays: 30 } });
    expectInvalid(res, "(root)");
  });

  it.each(titled(BAD_NAMES, (name) => `name ${JSON.stringify(name)} is 400 at name`))("%s", async (_, name) => {
    expectInvalid(await putUnchanged({ body: { name } }), "name");
  });

  it.each(titled(GOOD_NAMES, (name) => `renaming to ${JSON.stringify(name)} is accepted`))("%s", async (_, name) => {
    // A tenant of its own: the POST tests above already use these names (unique per account and owner).
    const headers = bearer((await createTenant()).key);
    const server = (await call("POST", "/api/servers", { headers, body: { name: uniqueName() } })).body;
    const res = await call("PUT", `/api/servers/${server.serverId}`, { headers, body: { name } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toBe(name);
    // The id is not derived again: it stays opaque and stable.
    expect(res.body.serverId).toBe(server.serverId);
  });

  it("description, customInstructions and restriction lists at their limits are accepted", async () => {
    const server = await createServer();
    const restrictions = { users: { mode: "blocklist", allowedIds: list(1_000), blockedIds: list(1_000) } };
    const res = await call("PUT", `/api/servers/${server.serverId}`, {
      headers: auth,
      body: { description: "d".repeat(10_000), customInstructions: "c".repeat(10_000), restrictions },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.description).toHaveLength(10_000);
    expect(res.body.customInstructions).toHaveLength(10_000);
    expect(res.body.restrictions).toEqual(restrictions);
  });
});

// ---- query parameters ----------------------------------------------------------------------------------

describe("DELETE /api/servers/{serverId}?dryRun", () => {
  it("?dryRun=maybe is 400 at dryRun and deletes nothing", async () => {
    const server = await createServer();
    const res = await unchanged(() =>
      call("DELETE", `/api/servers/${server.serverId}?dryRun=maybe`, { headers: auth }),
    );
    expectInvalid(res, "dryRun");
    expect(await db().mcpServer.findUnique({ where: { id: server.serverId } })).not.toBeNull();
  });
});

// Found by the fuzz suite: the database cannot store these, and answered 500.
describe("text the database cannot store", () => {
  it.each([
    ["a NUL in a body field", "POST", "/api/servers", { name: "nul", description: "a\u0000b" }, "description"],
    [
      "an unpaired surrogate in a body field",
      "POST",
      "/api/servers",
      { name: "lone", description: "\ud800" },
      "description",
    ],
    [
      "a NUL in a restriction value",
      "POST",
      "/api/servers",
      { name: "nul2", restrictions: { users: { mode: "allowlist", allowedIds: ["\u0000"] } } },
      "restrictions.users.allowedIds.0",
    ],
    ["a NUL in ?q=", "GET", "/api/servers?q=a%00b", undefined, "q"],
  ])("refuses %s with 400 naming the field", async (_what, method, url, body, path) => {
    const tenant = await createTenant();
    const before = await db().mcpServer.count();
    const res = await call(method, url, { headers: bearer(tenant.key), body });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe("INVALID_REQUEST");
    expect(res.body.error.details.issues[0]).toEqual({
      path,
      message: "Must not contain NUL characters or unpaired surrogates",
    });
    expect(await db().mcpServer.count()).toBe(before);
  });

  it("still accepts astral characters (a well-formed surrogate pair)", async () => {
    const tenant = await createTenant();
    const res = await call("POST", "/api/servers", {
      headers: bearer(tenant.key),
      body: { name: "emoji", description: "rocket 🚀" },
    });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe("rocket 🚀");
  });
});
