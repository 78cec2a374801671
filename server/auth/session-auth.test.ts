// The dashboard's cookie path on the REST routes: the next-auth session cookie authenticates as the
// signed-in user, mutations must come from the app's own origin (CSRF), account-management routes are
// session-only, sign-up can be turned off, and sign-in attempts are throttled.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { consumeSignInAttempt, SignInRateLimited, verifyCredentials } from "@/server/auth/session";
import { bearer, call } from "@/test/route-client";
import { browser, createTenant, sessionCookie } from "@/test/factories";

let tenant: Awaited<ReturnType<typeof createTenant>>;
let cookie: string;

beforeAll(async () => {
  tenant = await createTenant();
  cookie = await sessionCookie(tenant.userId);
});

const createByKey = async (name: string) =>
  (await call("POST", "/api/servers", { headers: bearer(tenant.key), body: { name } })).body.serverId as string;

describe("the session cookie on the server routes", () => {
  it("lists the servers the owner's default API key created, as the same end user", async () => {
    const serverId = await createByKey("Made by key");
    const res = await call("GET", "/api/servers", { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.body.servers.map((s: any) => s.serverId)).toContain(serverId);
    expect(res.headers.get("RateLimit-Limit")).not.toBeNull();
  });

  it("creates a server from the app's own origin and records the dashboard user in the audit log", async () => {
    const res = await call("POST", "/api/servers", { headers: browser(cookie), body: { name: "Made in browser" } });
    expect(res.status).toBe(201);
    const event = await db().auditEvent.findFirstOrThrow({ where: { serverId: res.body.serverId } });
    expect(event).toMatchObject({ actorType: "session", actorId: tenant.userId, action: "server.created" });
    // And the API key sees it: one owner for both credentials.
    expect((await call("GET", `/api/servers/${res.body.serverId}`, { headers: bearer(tenant.key) })).status).toBe(200);
  });

  it("refuses a DELETE from a foreign origin with 403 and deletes nothing", async () => {
    const serverId = await createByKey("CSRF target");
    const res = await call("DELETE", `/api/servers/${serverId}`, {
      headers: browser(cookie, "https://evil.example"),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(await db().mcpServer.count({ where: { id: serverId } })).toBe(1);
  });

  it("refuses a cookie mutation that carries neither Origin nor Referer", async () => {
    const serverId = await createByKey("No origin");
    for (const method of ["DELETE", "PUT"] as const) {
      const res = await call(method, `/api/servers/${serverId}`, {
        headers: { cookie },
        ...(method === "PUT" ? { body: { description: "x" } } : {}),
      });
      expect(res.status).toBe(403);
    }
    expect(await db().mcpServer.count({ where: { id: serverId } })).toBe(1);
  });

  it("accepts a same-origin Referer when Origin is missing, and a foreign Referer is refused", async () => {
    const serverId = await createByKey("Referer");
    const foreign = await call("DELETE", `/api/servers/${serverId}`, {
      headers: { cookie, referer: "https://evil.example/servers" },
    });
    expect(foreign.status).toBe(403);
    const own = await call("DELETE", `/api/servers/${serverId}`, {
      headers: { cookie, referer: "http://switchboard.test/servers" },
    });
    expect(own.status).toBe(200);
    expect(await db().mcpServer.count({ where: { id: serverId } })).toBe(0);
  });

  it("answers 401 to a garbage, an expired, or a foreign-secret cookie", async () => {
    const expired = await sessionCookie(tenant.userId, { maxAgeSeconds: -120 });
    const foreign = await sessionCookie(tenant.userId, { secret: "another-installation-secret-0123456789" });
    for (const bad of ["next-auth.session-token=garbage", expired, foreign]) {
      const res = await call("GET", "/api/servers", { headers: { cookie: bad } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
    }
  });

  it("answers 401 when the cookie's user no longer exists", async () => {
    const res = await call("GET", "/api/servers", { headers: { cookie: await sessionCookie("usr_gone") } });
    expect(res.status).toBe(401);
  });

  it("cannot act as another end user", async () => {
    const res = await call("GET", "/api/servers", { headers: { cookie, "x-alloy-userid": "someone-else" } });
    expect(res.status).toBe(403);
  });

  it("prefers an Authorization header over the cookie", async () => {
    const res = await call("GET", "/api/servers", { headers: { cookie, authorization: "Bearer sbk_wrong" } });
    expect(res.status).toBe(401);
  });
});

describe("session-only account routes", () => {
  it("refuses API keys on account management", async () => {
    for (const url of ["/api/api-keys", "/api/jwt-keys", "/api/members", "/api/audit"]) {
      const res = await call("GET", url, { headers: bearer(tenant.key) });
      expect(res.status, url).toBe(403);
      expect((await call("GET", url)).status, url).toBe(401);
    }
  });

  it("creates an API key shown once that acts as the dashboard user, lists it without the secret, and revokes it", async () => {
    const created = await call("POST", "/api/api-keys", { headers: browser(cookie), body: { name: "CI" } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^sbk_/);
    expect(created.body).toMatchObject({
      name: "CI",
      defaultUserId: tenant.userId,
      lastFour: created.body.key.slice(-4),
    });
    const listed = await call("GET", "/api/api-keys", { headers: { cookie } });
    const row = listed.body.apiKeys.find((k: any) => k.id === created.body.id);
    expect(row).toBeDefined();
    expect(row.key).toBeUndefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect((await call("GET", "/api/servers", { headers: bearer(created.body.key) })).status).toBe(200);
    const revoked = await call("DELETE", `/api/api-keys/${created.body.id}`, { headers: browser(cookie) });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await call("GET", "/api/servers", { headers: bearer(created.body.key) })).status).toBe(401);
    expect((await call("DELETE", `/api/api-keys/${created.body.id}`, { headers: browser(cookie) })).status).toBe(404);
  });

  it("never revokes another account's key", async () => {
    const other = await createTenant();
    const res = await call("DELETE", `/api/api-keys/${other.keyId}`, { headers: browser(cookie) });
    expect(res.status).toBe(404);
    expect((await call("GET", "/api/servers", { headers: bearer(other.key) })).status).toBe(200);
  });

  it("creates, lists and revokes JWT signing keys", async () => {
    const created = await call("POST", "/api/jwt-keys", { headers: browser(cookie) });
    expect(created.status).toBe(201);
    const listed = await call("GET", "/api/jwt-keys", { headers: { cookie } });
    expect(listed.body.jwtKeys.map((k: any) => k.kid)).toContain(created.body.kid);
    expect(JSON.stringify(listed.body)).not.toMatch(/secret/i);
    expect((await call("DELETE", `/api/jwt-keys/${created.body.kid}`, { headers: browser(cookie) })).status).toBe(200);
  });

  it("lists members and lets the owner add one, who cannot add another", async () => {
    const added = await call("POST", "/api/members", {
      headers: browser(cookie),
      body: { email: `Member-${tenant.userId}@Example.com`, password: "a long member password" },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ role: "MEMBER", email: `member-${tenant.userId}@example.com` });
    expect(added.body.passwordHash).toBeUndefined();
    const listed = await call("GET", "/api/members", { headers: { cookie } });
    expect(listed.body.members.map((m: any) => m.role)).toEqual(["OWNER", "MEMBER"]);
    const memberCookie = await sessionCookie(added.body.id);
    const denied = await call("POST", "/api/members", {
      headers: browser(memberCookie),
      body: { email: "third@example.com", password: "a long member password" },
    });
    expect(denied.status).toBe(403);
  });

  it("keeps a deleted server's history in the audit log, filterable by action and name", async () => {
    const serverId = await createByKey("Gone but audited");
    expect((await call("DELETE", `/api/servers/${serverId}`, { headers: browser(cookie) })).status).toBe(200);
    const all = await call("GET", `/api/audit?serverId=${serverId}`, { headers: { cookie } });
    expect(all.status).toBe(200);
    expect(all.body.events.map((e: any) => e.action)).toEqual(["server.deleted", "server.created"]);
    expect(all.body.events[0]).toMatchObject({
      actorType: "session",
      actorLabel: tenant.email,
      serverName: "Gone but audited",
    });
    const deletions = await call("GET", "/api/audit?action=server.deleted&q=gone%20but", { headers: { cookie } });
    expect(deletions.body.events).toHaveLength(1);
    expect(deletions.body.count).toBe(1);
    const other = await createTenant();
    const foreign = await call("GET", "/api/audit", { headers: { cookie: await sessionCookie(other.userId) } });
    expect(foreign.body.events.filter((e: any) => e.serverId === serverId)).toEqual([]);
  });
});

describe("sign-up", () => {
  afterEach(() => {
    delete process.env.SIGNUP_ENABLED;
  });

  it("creates an account and its owner, who can sign in; a second sign-up with the email is 409", async () => {
    const email = `signup-${Date.now()}@example.com`;
    const res = await call("POST", "/api/signup", { body: { email, password: "a long password 1" } });
    expect(res.status).toBe(201);
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ id: res.body.userId, accountId: res.body.accountId, role: "OWNER" });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect((await verifyCredentials(email.toUpperCase(), "a long password 1"))?.id).toBe(user.id);
    expect(await verifyCredentials(email, "wrong password")).toBeNull();
    expect(await verifyCredentials("nobody@example.com", "a long password 1")).toBeNull();
    const again = await call("POST", "/api/signup", { body: { email, password: "a long password 2" } });
    expect(again.status).toBe(409);
  });

  it("validates with the shared schema", async () => {
    const res = await call("POST", "/api/signup", { body: { email: "not-an-email", password: "short" } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: any) => i.path).sort()).toEqual(["email", "password"]);
  });

  it("is refused with SIGNUP_ENABLED=false", async () => {
    process.env.SIGNUP_ENABLED = "false";
    const res = await call("POST", "/api/signup", { body: { email: "off@example.com", password: "a long password" } });
    expect(res.status).toBe(403);
    expect(await db().user.count({ where: { email: "off@example.com" } })).toBe(0);
  });
});

describe("sign-in throttling", () => {
  it("allows 10 attempts a minute per email, then refuses; another email from another IP is unaffected", async () => {
    for (let i = 0; i < 10; i++) await consumeSignInAttempt("victim@example.com", `10.0.0.${i}`);
    await expect(consumeSignInAttempt("VICTIM@example.com", "10.0.1.1")).rejects.toBeInstanceOf(SignInRateLimited);
    await expect(consumeSignInAttempt("someone@example.com", "10.0.2.1")).resolves.toBeUndefined();
  });

  it("allows 50 attempts a minute per IP across emails, then refuses", async () => {
    for (let i = 0; i < 50; i++) await consumeSignInAttempt(`spray-${i}@example.com`, "10.9.9.9");
    await expect(consumeSignInAttempt("spray-new@example.com", "10.9.9.9")).rejects.toBeInstanceOf(SignInRateLimited);
  });
});
