// The server management endpoints of docs/api.md section 3, through the real route handlers and database.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { sha256 } from "@/server/secrets";
import { bearer, call } from "@/test/route-client";
import { createTenant } from "@/test/factories";

let tenant: Awaited<ReturnType<typeof createTenant>>;
let auth: Record<string, string>;

beforeAll(async () => {
  tenant = await createTenant();
  auth = bearer(tenant.key);
});

const isoZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("POST /api/servers", () => {
  it("creates a server, mints a token shown once, and answers 201 with the server object", async () => {
    const res = await call("POST", "/api/servers", {
      headers: auth,
      body: {
        name: "Production Server",
        description: "Prod",
        customInstructions: "Be brief",
        isPublic: true,
        tokenExpiresInDays: 30,
      },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toContain("application/json");
    const server = res.body;
    expect(server.serverId).toMatch(/^production-server-[0-9a-f]{8}$/);
    expect(server).toEqual({
      serverId: server.serverId,
      name: "Production Server",
      description: "Prod",
      customInstructions: "Be brief",
      mode: "connectivity",
      isPublic: true,
      url: `http://switchboard.test/mcp/${server.serverId}`,
      restrictions: {},
      hasRestrictions: false,
      tokenExpiresAt: expect.stringMatching(isoZ),
      tokenHint: server.accessToken.slice(-4),
      liveTokens: [{ tokenHint: server.accessToken.slice(-4), expiresAt: server.tokenExpiresAt, graceUntil: null }],
      createdAt: expect.stringMatching(isoZ),
      updatedAt: expect.stringMatching(isoZ),
      accessToken: expect.stringMatching(/^sbt_[\w-]{43}$/),
      accessUrl: `http://switchboard.test/mcp/${server.serverId}/${server.accessToken}`,
    });
    const days = (Date.parse(server.tokenExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThanOrEqual(30);

    // Stored hashed: the database never holds the token itself.
    const stored = await db().serverAccessToken.findMany({ where: { serverId: server.serverId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(sha256(server.accessToken));
    expect(JSON.stringify(stored)).not.toContain(server.accessToken);
  });

  it("applies the defaults: private, 90-day token, empty texts", async () => {
    const res = await call("POST", "/api/servers", { headers: auth, body: { name: "defaults" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      description: "",
      customInstructions: "",
      isPublic: false,
      restrictions: {},
      hasRestrictions: false,
    });
    const days = (Date.parse(res.body.tokenExpiresAt) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
  });

  it("derives the serverId from the name as docs/api.md specifies", async () => {
    const cases: [string, RegExp][] = [
      ["My  Server__v2", /^my-server-v2-[0-9a-f]{8}$/],
      ["Ünïcode Ñame", /^n-code-ame-[0-9a-f]{8}$/],
      ["日本語", /^server-[0-9a-f]{8}$/],
      ["a".repeat(60), new RegExp(`^${"a".repeat(40)}-[0-9a-f]{8}$`)],
    ];
    for (const [name, pattern] of cases) {
      const res = await call("POST", "/api/servers", { headers: auth, body: { name } });
      expect(res.status, name).toBe(201);
      expect(res.body.serverId).toMatch(pattern);
    }
  });

  it("stores restrictions and echoes them with both lists and hasRestrictions", async () => {
    const restrictions = {
      connectors: { mode: "allowlist", allowedIds: ["slack", "github"] },
      actions: { mode: "blocklist", blockedActions: ["slack:delete_message", "drop_table"] },
      users: { mode: "allowlist", allowedIds: ["u1"], blockedIds: ["u2"] },
    };
    const res = await call("POST", "/api/servers", { headers: auth, body: { name: "restricted", restrictions } });
    expect(res.status).toBe(201);
    expect(res.body.hasRestrictions).toBe(true);
    expect(res.body.restrictions).toEqual({
      connectors: { mode: "allowlist", allowedIds: ["slack", "github"], blockedIds: [] },
      actions: { mode: "blocklist", allowedActions: [], blockedActions: ["slack:delete_message", "drop_table"] },
      users: { mode: "allowlist", allowedIds: ["u1"], blockedIds: ["u2"] },
    });
  });

  it("refuses a second server with the same name, case-insensitively, with 409 CONFLICT", async () => {
    expect((await call("POST", "/api/servers", { headers: auth, body: { name: "Billing" } })).status).toBe(201);
    const res = await call("POST", "/api/servers", { headers: auth, body: { name: "BILLING" } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { code: "CONFLICT", message: 'A server named "BILLING" already exists', details: { field: "name" } },
    });
  });

  it("allows the same name for another owner and another account", async () => {
    const other = await createTenant();
    expect(
      (await call("POST", "/api/servers", { headers: bearer(other.key), body: { name: "Shared Name" } })).status,
    ).toBe(201);
    expect((await call("POST", "/api/servers", { headers: auth, body: { name: "Shared Name" } })).status).toBe(201);
  });
});

describe("GET /api/servers", () => {
  it("lists the caller's servers newest first with count, limit, offset and hasMore", async () => {
    const owner = await createTenant();
    const headers = bearer(owner.key);
    const names = ["one", "two", "three", "four", "five"];
    for (const name of names)
      expect((await call("POST", "/api/servers", { headers, body: { name } })).status).toBe(201);

    const first = await call("GET", "/api/servers?limit=2", { headers });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 5, limit: 2, offset: 0, hasMore: true });
    expect(first.body.servers.map((s: { name: string }) => s.name)).toEqual(["five", "four"]);
    expect(first.body.servers[0]).not.toHaveProperty("accessToken");
    expect(first.body.servers[0]).not.toHaveProperty("accessUrl");

    const last = await call("GET", "/api/servers?limit=2&offset=4", { headers });
    expect(last.body).toMatchObject({ count: 5, limit: 2, offset: 4, hasMore: false });
    expect(last.body.servers.map((s: { name: string }) => s.name)).toEqual(["one"]);

    const all = await call("GET", "/api/servers", { headers });
    expect(all.body).toMatchObject({ count: 5, limit: 50, offset: 0, hasMore: false });
  });

  it("filters by name with ?q=, case-insensitively", async () => {
    const owner = await createTenant();
    const headers = bearer(owner.key);
    for (const name of ["Alpha Prod", "alpha staging", "Beta"])
      await call("POST", "/api/servers", { headers, body: { name } });
    const res = await call("GET", "/api/servers?q=ALPHA", { headers });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.servers.map((s: { name: string }) => s.name).sort()).toEqual(["Alpha Prod", "alpha staging"]);
  });

  // Found by the fuzz suite: the search text went into LIKE unescaped, so "%" matched every server.
  it("treats %, _ and \\ in ?q= as plain characters", async () => {
    const owner = await createTenant();
    const headers = bearer(owner.key);
    for (const name of ["snake_case", "plain", "a-b"])
      expect((await call("POST", "/api/servers", { headers, body: { name } })).status).toBe(201);
    const names = async (q: string) =>
      (await call("GET", `/api/servers?q=${encodeURIComponent(q)}`, { headers })).body.servers.map(
        (s: { name: string }) => s.name,
      );
    expect(await names("%")).toEqual([]);
    expect(await names("_")).toEqual(["snake_case"]);
    expect(await names("e_c")).toEqual(["snake_case"]);
    expect(await names("\\")).toEqual([]);
    expect(await names("%%%")).toEqual([]);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=abc", "limit"],
    ["offset=-1", "offset"],
    [`q=${"x".repeat(101)}`, "q"],
  ])("rejects ?%s with 400 naming the parameter", async (query, field) => {
    const res = await call("GET", `/api/servers?${query}`, { headers: auth });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_REQUEST");
    expect(res.body.error.details.issues[0].path).toBe(field);
  });
});

describe("GET /api/servers/{serverId}", () => {
  it("returns the server without its token", async () => {
    const created = (await call("POST", "/api/servers", { headers: auth, body: { name: "readable" } })).body;
    const res = await call("GET", `/api/servers/${created.serverId}`, { headers: auth });
    expect(res.status).toBe(200);
    const { accessToken: _t, accessUrl: _u, ...expected } = created;
    expect(res.body).toEqual(expected);
  });

  it("answers a malformed id byte for byte like an unknown one, on every route", async () => {
    for (const [method, suffix] of [
      ["GET", ""],
      ["PUT", ""],
      ["DELETE", ""],
      ["DELETE", "?dryRun=true"],
      ["POST", "/token"],
    ]) {
      for (const id of ["nope-00000000", "NOT A VALID ID", "x".repeat(500)]) {
        const res = await call(method!, `/api/servers/${encodeURIComponent(id)}${suffix}`, {
          headers: auth,
          body: method === "PUT" ? {} : undefined,
        });
        expect(res.status, `${method} ${id}`).toBe(404);
        expect(res.text).toBe('{"error":{"code":"NOT_FOUND","message":"Server not found"}}');
      }
    }
  });
});

describe("PUT /api/servers/{serverId}", () => {
  it("changes only the fields sent and replaces restrictions whole", async () => {
    const created = (
      await call("POST", "/api/servers", {
        headers: auth,
        body: {
          name: "editable",
          description: "keep me",
          restrictions: { connectors: { mode: "blocklist", blockedIds: ["a"] } },
        },
      })
    ).body;
    const res = await call("PUT", `/api/servers/${created.serverId}`, {
      headers: auth,
      body: { name: "Edited", isPublic: true, restrictions: { users: { mode: "allowlist", allowedIds: ["alice"] } } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      serverId: created.serverId,
      name: "Edited",
      description: "keep me",
      isPublic: true,
      restrictions: { users: { mode: "allowlist", allowedIds: ["alice"], blockedIds: [] } },
      hasRestrictions: true,
      tokenHint: created.tokenHint,
    });
    expect(res.body.restrictions).not.toHaveProperty("connectors");
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));

    const cleared = await call("PUT", `/api/servers/${created.serverId}`, {
      headers: auth,
      body: { restrictions: {} },
    });
    expect(cleared.body).toMatchObject({ restrictions: {}, hasRestrictions: false });
    expect(await db().serverRestrictionValue.count({ where: { serverId: created.serverId } })).toBe(0);
  });

  it("answers 409 when renaming onto another server's name, and changes nothing", async () => {
    await call("POST", "/api/servers", { headers: auth, body: { name: "taken" } });
    const other = (await call("POST", "/api/servers", { headers: auth, body: { name: "free" } })).body;
    const res = await call("PUT", `/api/servers/${other.serverId}`, {
      headers: auth,
      body: { name: "TAKEN", description: "x" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    const after = await call("GET", `/api/servers/${other.serverId}`, { headers: auth });
    expect(after.body).toMatchObject({ name: "free", description: "" });
  });

  it("answers 404 for a missing server", async () => {
    const res = await call("PUT", "/api/servers/missing-12345678", { headers: auth, body: { name: "x" } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
  });
});

describe("POST /api/servers/{serverId}/token", () => {
  it("rotates: the new token is returned once, the old one is revoked at once without grace", async () => {
    const created = (await call("POST", "/api/servers", { headers: auth, body: { name: "rotating" } })).body;
    const res = await call("POST", `/api/servers/${created.serverId}/token`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toMatch(/^sbt_/);
    expect(res.body.accessToken).not.toBe(created.accessToken);
    expect(res.body.accessUrl).toBe(`${created.url}/${res.body.accessToken}`);
    expect(res.body.tokenHint).toBe(res.body.accessToken.slice(-4));
    const old = await db().serverAccessToken.findUnique({ where: { tokenHash: sha256(created.accessToken) } });
    expect(old?.revokedAt).toBeInstanceOf(Date);
    expect(old?.graceUntil).toBeNull();
  });

  it("keeps the old token valid for graceSeconds and honours tokenExpiresInDays", async () => {
    const created = (await call("POST", "/api/servers", { headers: auth, body: { name: "graceful" } })).body;
    const res = await call("POST", `/api/servers/${created.serverId}/token`, {
      headers: auth,
      body: { graceSeconds: 3600, tokenExpiresInDays: 7 },
    });
    expect(res.status).toBe(200);
    expect(Math.round((Date.parse(res.body.tokenExpiresAt) - Date.now()) / 86_400_000)).toBe(7);
    const old = await db().serverAccessToken.findUnique({ where: { tokenHash: sha256(created.accessToken) } });
    expect(old?.revokedAt).toBeNull();
    const graceLeft = (old!.graceUntil!.getTime() - Date.now()) / 1000;
    expect(graceLeft).toBeGreaterThan(3590);
    expect(graceLeft).toBeLessThanOrEqual(3600);
  });

  it.each([
    [{ graceSeconds: -1 }, "graceSeconds"],
    [{ graceSeconds: 86_401 }, "graceSeconds"],
    [{ graceSeconds: 1.5 }, "graceSeconds"],
    [{ tokenExpiresInDays: 0 }, "tokenExpiresInDays"],
    [{ tokenExpiresInDays: 366 }, "tokenExpiresInDays"],
    [{ extra: true }, "(root)"],
  ])("rejects %j with 400", async (body, field) => {
    const created = (
      await call("POST", "/api/servers", {
        headers: auth,
        body: { name: `bad rotate ${Math.random().toString(16).slice(2, 10)}` },
      })
    ).body;
    const res = await call("POST", `/api/servers/${created.serverId}/token`, { headers: auth, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_REQUEST");
    expect(res.body.error.details.issues[0].path).toBe(field);
    expect(await db().serverAccessToken.count({ where: { serverId: created.serverId } })).toBe(1);
  });
});
