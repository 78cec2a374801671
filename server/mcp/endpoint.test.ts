// The MCP route handler in-process, where the database can be read directly: what a session, an end
// user and each tool call leave behind, and the per-token rate limit.
process.env.RATE_LIMIT_PER_MINUTE = "25";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createTenant } from "@/test/factories";
import { mcpCall, rpc } from "@/test/mcp-route-client";
import { bearer, call } from "@/test/route-client";
import { startFixture, type Fixture } from "@/test/upstream-fixture";

let key = "";
let ownerId = "";
let fixture: Fixture;
let connectorId = "";

beforeAll(async () => {
  const tenant = await createTenant({ canActAsAnyUser: true });
  key = tenant.key;
  ownerId = tenant.userId;
  fixture = await startFixture();
  const created = await call("POST", "/api/connectors", {
    headers: bearer(key),
    body: { name: "fixture", url: fixture.url, credentialHeader: "x-upstream-token" },
  });
  connectorId = created.body.connectorId;
});

afterAll(async () => {
  await fixture.close();
});

/** One JSON-RPC request to an access URL, in-process (test/mcp-route-client.ts). */
const mcp = (accessUrl: string, method: string, params: unknown = {}, headers: Record<string, string> = {}) =>
  mcpCall("POST", accessUrl, { headers, body: rpc(method, params) });

async function createServer(body: Record<string, unknown>) {
  const res = await call("POST", "/api/servers", { headers: bearer(key), body });
  return res.body as { serverId: string; accessUrl: string };
}

describe("records of the MCP endpoint", () => {
  it("a session row, an end-user binding and one usage row per tool call, with every field", async () => {
    const server = await createServer({
      name: "records",
      restrictions: { actions: { mode: "blocklist", blockedActions: ["slow"] } },
    });
    const init = await mcp(server.accessUrl, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    });
    expect(init.status).toBe(200);
    const sessionId = init.headers.get("mcp-session-id")!;
    const session = await db().mcpSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session).toMatchObject({ serverId: server.serverId, userId: ownerId, closedAt: null });

    const ok = await mcp(
      server.accessUrl,
      "tools/call",
      { name: `${connectorId}__whoami`, arguments: {} },
      { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
    );
    expect(ok.body.result.isError).toBeUndefined();
    const refused = await mcp(server.accessUrl, "tools/call", { name: `${connectorId}__slow`, arguments: {} });
    expect(refused.body.result.isError).toBe(true);

    const rows = await db().toolCall.findMany({ where: { serverId: server.serverId }, orderBy: { actionId: "desc" } });
    expect(rows).toEqual([
      expect.objectContaining({
        sessionId,
        userId: ownerId,
        connectorId,
        actionId: "whoami",
        toolName: `${connectorId}__whoami`,
        status: "success",
        durationMs: expect.any(Number),
        error: null,
      }),
      expect.objectContaining({
        sessionId: null,
        connectorId,
        actionId: "slow",
        status: "refused",
        error: expect.stringMatching(/restriction "actions"/),
      }),
    ]);
    const bindings = await db().serverUserBinding.findMany({ where: { serverId: server.serverId } });
    expect(bindings.map((b) => b.userId)).toEqual([ownerId]);

    // Deleting the server closes the in-memory session and cascades every record away.
    expect((await call("DELETE", `/api/servers/${server.serverId}`, { headers: bearer(key) })).status).toBe(200);
    expect(await db().toolCall.count({ where: { serverId: server.serverId } })).toBe(0);
    expect(await db().mcpSession.count({ where: { serverId: server.serverId } })).toBe(0);
    const after = await mcp(server.accessUrl, "tools/list", {}, { "mcp-session-id": sessionId });
    expect(after.status).toBe(401);
  });

  it("answers 401 with the envelope once the token has expired", async () => {
    const server = await createServer({ name: "expiring" });
    expect((await mcp(server.accessUrl, "ping")).status).toBe(200);
    await db().serverAccessToken.updateMany({
      where: { serverId: server.serverId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await mcp(server.accessUrl, "ping");
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { code: "UNAUTHORIZED", message: "This access token has expired" } });
  });

  it("refuses a browser Origin other than the app's own (DNS rebinding)", async () => {
    const server = await createServer({ name: "origin" });
    const evil = await mcp(server.accessUrl, "ping", {}, { origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe("FORBIDDEN");
    expect((await mcp(server.accessUrl, "ping", {}, { origin: "http://switchboard.test" })).status).toBe(200);
  });

  it("rate-limits per access token with the REST envelope and Retry-After", async () => {
    const server = await createServer({ name: "limited" });
    let limited: Awaited<ReturnType<typeof mcp>> | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await mcp(server.accessUrl, "ping");
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited?.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another server's token has its own budget.
    const other = await createServer({ name: "other" });
    expect((await mcp(other.accessUrl, "ping")).status).toBe(200);
  });
});
