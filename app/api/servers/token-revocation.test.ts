// Issue #12 finding 8: a token inside a rotation's grace period could not be revoked. A rotation without
// grace now ends every live token of the server, every server answer lists the live tokens (hint, expiry,
// grace end), and DELETE /api/servers/{serverId}/token revokes them all.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTenant } from "@/test/factories";
import { mcpCall, rpc } from "@/test/mcp-route-client";
import { bearer, call } from "@/test/route-client";

let auth: Record<string, string>;
let otherAuth: Record<string, string>;

beforeAll(async () => {
  auth = bearer((await createTenant()).key);
  otherAuth = bearer((await createTenant()).key);
});

const ping = async (accessUrl: string) => (await mcpCall("POST", accessUrl, { body: rpc("ping") })).status;
const isoZ = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

async function serverWithGraceToken(name: string) {
  const created = await call("POST", "/api/servers", { headers: auth, body: { name } });
  const first = created.body as { serverId: string; accessUrl: string; accessToken: string };
  const rotated = await call("POST", `/api/servers/${first.serverId}/token`, {
    headers: auth,
    body: { graceSeconds: 86_400 },
  });
  expect(rotated.status).toBe(200);
  return { serverId: first.serverId, first, second: rotated.body as typeof first & { liveTokens: unknown[] } };
}

describe("live tokens of a server", () => {
  it("every server answer lists them: the current one first, then those in a grace period", async () => {
    const { serverId, first, second } = await serverWithGraceToken("listed");
    const graceEnd = Date.now() + 86_400_000;
    expect(second.liveTokens).toEqual([
      { tokenHint: second.accessToken.slice(-4), expiresAt: isoZ, graceUntil: null },
      { tokenHint: first.accessToken.slice(-4), expiresAt: isoZ, graceUntil: isoZ },
    ]);
    const inGrace = (second.liveTokens as { graceUntil: string }[])[1]!;
    expect(Math.abs(Date.parse(inGrace.graceUntil) - graceEnd)).toBeLessThan(10_000);
    const got = await call("GET", `/api/servers/${serverId}`, { headers: auth });
    expect(got.body.liveTokens).toEqual(second.liveTokens);
    const listed = await call("GET", "/api/servers?q=listed", { headers: auth });
    expect(listed.body.servers[0].liveTokens).toEqual(second.liveTokens);

    // A token past its grace period or its expiry is no longer listed.
    await db().serverAccessToken.updateMany({
      where: { serverId, graceUntil: { not: null } },
      data: { graceUntil: new Date(Date.now() - 1000) },
    });
    const after = await call("GET", `/api/servers/${serverId}`, { headers: auth });
    expect(after.body.liveTokens).toEqual([second.liveTokens[0]]);
  });

  it("a rotation without grace revokes every live token, those in a grace period too", async () => {
    const { serverId, first, second } = await serverWithGraceToken("no-grace");
    expect(await ping(first.accessUrl)).toBe(200);
    const third = await call("POST", `/api/servers/${serverId}/token`, { headers: auth, body: { graceSeconds: 0 } });
    expect(third.status).toBe(200);
    expect(await ping(first.accessUrl)).toBe(401);
    expect(await ping(second.accessUrl)).toBe(401);
    expect(await ping(third.body.accessUrl)).toBe(200);
    expect(third.body.liveTokens).toEqual([
      { tokenHint: third.body.accessToken.slice(-4), expiresAt: isoZ, graceUntil: null },
    ]);
  });

  it("DELETE /api/servers/{serverId}/token revokes them all and says so in the audit log", async () => {
    const { serverId, first, second } = await serverWithGraceToken("revoke-all");
    const res = await call("DELETE", `/api/servers/${serverId}/token`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ serverId, tokenHint: null, tokenExpiresAt: null, liveTokens: [] });
    expect(res.body.accessToken).toBeUndefined();
    expect(await ping(first.accessUrl)).toBe(401);
    expect(await ping(second.accessUrl)).toBe(401);
    const live = await db().serverAccessToken.count({ where: { serverId, revokedAt: null } });
    expect(live).toBe(0);
    const audit = await db().auditEvent.findMany({ where: { serverId, action: "server.tokens_revoked" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.oldValues).toEqual({ tokenHints: [second.accessToken.slice(-4), first.accessToken.slice(-4)] });

    // A rotation afterwards mints a working token again.
    const rotated = await call("POST", `/api/servers/${serverId}/token`, { headers: auth, body: {} });
    expect(await ping(rotated.body.accessUrl)).toBe(200);
  });

  it("another account's server is 404 and keeps its tokens", async () => {
    const { serverId, second } = await serverWithGraceToken("foreign");
    const res = await call("DELETE", `/api/servers/${serverId}/token`, { headers: otherAuth });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
    expect(await ping(second.accessUrl)).toBe(200);
  });
});
