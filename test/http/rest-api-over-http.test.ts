// The README's path end to end over real HTTP: provision with the CLI, start the production build,
// drive the REST API with fetch, and check what only a real server shows (body limits, headers, locks).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startApp, type RunningApp } from "@/test/app-process";
import { httpRequest, type HttpInit } from "@/test/http-client";
import { usePostgres } from "@/test/databases";

let app: RunningApp;
let key: string;
let jwt: string;
let base: string;

// Every answer is checked against the OpenAPI document on the way (test/http-client.ts).
const request = (method: string, path: string, init?: HttpInit) => httpRequest(base, method, path, init);

beforeAll(async () => {
  const account = await runCli([
    "account",
    "create",
    "--email",
    "owner@example.com",
    "--password",
    "a long password",
    "--name",
    "Acme",
  ]);
  expect(account.stderr).toBe("");
  expect(account.code).toBe(0);
  expect(account.json).toEqual({ accountId: expect.stringMatching(/^acc_/), userId: expect.stringMatching(/^usr_/) });

  const apiKey = await runCli(["apikey", "create", "--email", "owner@example.com", "--name", "backend"]);
  expect(apiKey.code).toBe(0);
  expect(apiKey.json).toEqual({
    id: expect.stringMatching(/^key_/),
    key: expect.stringMatching(/^sbk_/),
    defaultUserId: account.json.userId,
    canActAsAnyUser: false,
  });
  key = apiKey.json.key;

  const signingKey = await runCli(["jwt-key", "create", "--email", "owner@example.com"]);
  expect(signingKey.json).toEqual({ kid: expect.stringMatching(/^kid_/) });
  const minted = await runCli([
    "jwt",
    "mint",
    "--kid",
    signingKey.json.kid,
    "--user-id",
    account.json.userId,
    "--expires-in",
    "600",
  ]);
  expect(minted.json).toEqual({ token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
  jwt = minted.json.token;

  app = await startApp();
  base = app.baseUrl;
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe("the REST API over HTTP", () => {
  it("creates, lists, reads, updates, rotates, previews the delete and deletes a server", async () => {
    const auth = { authorization: `Bearer ${key}` };
    const created = await request("POST", "/api/servers", { headers: auth, body: { name: "Production Server" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-request-id")).toBeTruthy();
    const { serverId, accessToken } = created.body;
    expect(created.body.url).toBe(`${base}/mcp/${serverId}`);
    expect(created.body.accessUrl).toBe(`${base}/mcp/${serverId}/${accessToken}`);

    const list = await request("GET", "/api/servers", { headers: auth });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ count: 1, limit: 50, offset: 0, hasMore: false });

    // A JWT of the same end user, sent as x-alloy-user-token, sees the same server.
    const viaJwt = await request("GET", `/api/servers/${serverId}`, { headers: { "x-alloy-user-token": jwt } });
    expect(viaJwt.status).toBe(200);
    expect(viaJwt.body.name).toBe("Production Server");

    const updated = await request("PUT", `/api/servers/${serverId}`, {
      headers: auth,
      body: { description: "edited" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.description).toBe("edited");

    const rotated = await request("POST", `/api/servers/${serverId}/token`, {
      headers: auth,
      body: { graceSeconds: 60 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.accessToken).not.toBe(accessToken);

    const preview = await request("DELETE", `/api/servers/${serverId}?dryRun=true`, { headers: auth });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      dryRun: true,
      serverId,
      name: "Production Server",
      impact: { accessTokens: 2, restrictions: 0, restrictionValues: 0, sessions: 0, toolCalls: 0, userBindings: 0 },
    });

    const deleted = await request("DELETE", `/api/servers/${serverId}`, { headers: auth });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ message: "Server deleted", serverId });

    const again = await request("DELETE", `/api/servers/${serverId}`, { headers: auth });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
  });

  it("answers 401 with the envelope without credentials and without the Bearer scheme", async () => {
    const none = await request("DELETE", "/api/servers/anything-12345678");
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toContain("application/json");
    expect(none.body.error.code).toBe("UNAUTHORIZED");
    const noScheme = await request("GET", "/api/servers", { headers: { authorization: key } });
    expect(noScheme.status).toBe(401);
    expect(noScheme.body.error.message).toContain("Bearer");
  });

  it("answers 413 to a body over 10 MB and 400 to malformed JSON", async () => {
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const huge = JSON.stringify({ name: "big", description: "x".repeat(10 * 1024 * 1024) });
    const tooLarge = await request("POST", "/api/servers", { headers: auth, raw: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe("INVALID_REQUEST");

    const malformed = await request("POST", "/api/servers", { headers: auth, raw: '{"name": "x",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: { code: "INVALID_REQUEST", message: "Request body is not valid JSON" } });

    const list = await request("GET", "/api/servers", { headers: { authorization: `Bearer ${key}` } });
    expect(list.body.count).toBe(0);
  });

  it.skipIf(usePostgres())("refuses a CLI call while the server holds the embedded database", async () => {
    const result = await runCli(["apikey", "list", "--email", "owner@example.com"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/is in use by another process \(pid \d+\)/);
  });

  it.runIf(usePostgres())("lets the CLI work beside the running server on PostgreSQL", async () => {
    const result = await runCli(["apikey", "list", "--email", "owner@example.com"]);
    expect(result.code).toBe(0);
    expect(result.json.apiKeys).toHaveLength(1);
    expect(JSON.stringify(result.json)).not.toContain(key);
  });

  it("sends security headers on pages and on API answers", async () => {
    for (const path of ["/", "/api/servers"]) {
      const res = await fetch(`${base}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("unsafe-eval");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-powered-by"), path).toBeNull();
    }
  });

  it("echoes the caller's x-request-id, or makes one up", async () => {
    const mine = await fetch(`${base}/api/servers`, { headers: { "x-request-id": "trace-123" } });
    expect(mine.headers.get("x-request-id")).toBe("trace-123");
    const theirs = await fetch(`${base}/api/servers`);
    expect(theirs.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one JSON line per request without credentials", () => {
    const lines = app
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"));
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.message === "request");
    expect(requests.length).toBeGreaterThan(5);
    expect(app.output()).not.toContain(key);
    expect(app.output()).not.toContain(jwt);
  });
});
