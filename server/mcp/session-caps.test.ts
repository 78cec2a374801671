// Security finding 10, the session half (issue 12): legacy MCP sessions were unbounded (~110 KB each,
// 30 minutes idle) per token, account and process. Now a new session beyond a cap closes the least
// recently used one of that scope, and a session never used after its initialize is closed after
// MCP_SESSION_UNUSED_IDLE_SECONDS.
process.env.MCP_MAX_SESSIONS_PER_TOKEN = "3";
process.env.MCP_MAX_SESSIONS_PER_ACCOUNT = "5";
process.env.MCP_SESSION_UNUSED_IDLE_SECONDS = "30";
process.env.MCP_SESSION_IDLE_SECONDS = "600";

import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import * as sessions from "@/server/mcp/sessions";
import { createTenant } from "@/test/factories";
import { initializeParams, mcpCall, rpc } from "@/test/mcp-route-client";
import { bearer, call } from "@/test/route-client";

let key = "";

beforeAll(async () => {
  key = (await createTenant()).key;
});

async function createServer(name: string) {
  const res = await call("POST", "/api/servers", { headers: bearer(key), body: { name } });
  return res.body as { serverId: string; accessUrl: string };
}

async function openSession(accessUrl: string) {
  const res = await mcpCall("POST", accessUrl, { body: rpc("initialize", initializeParams) });
  expect(res.status).toBe(200);
  return res.headers.get("mcp-session-id")!;
}

/** A request on the session: 200 while it is open, 404 Session not found once it was closed. */
const ping = (accessUrl: string, sessionId: string) =>
  mcpCall("POST", accessUrl, {
    headers: { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
    body: rpc("ping"),
  });

async function closedRows(ids: string[]) {
  const rows = await db().mcpSession.findMany({ where: { id: { in: ids } } });
  return rows.filter((r) => r.closedAt !== null).map((r) => r.id);
}

describe("caps on legacy MCP sessions", () => {
  it("per token: the fourth session closes the least recently used one, row included", async () => {
    const server = await createServer("caps-token");
    const [a, b, c] = [
      await openSession(server.accessUrl),
      await openSession(server.accessUrl),
      await openSession(server.accessUrl),
    ];
    expect((await ping(server.accessUrl, a)).status).toBe(200); // a is now the most recently used
    const d = await openSession(server.accessUrl);
    expect(sessions.openSessionCount(server.serverId)).toBe(3);
    expect((await ping(server.accessUrl, b)).status).toBe(404);
    for (const open of [a, c, d]) expect((await ping(server.accessUrl, open)).status).toBe(200);
    await expect.poll(() => closedRows([a, b, c, d])).toEqual([b]);
  });

  it("per account: sessions of its other servers count too", async () => {
    const one = await createServer("caps-account-1");
    const two = await createServer("caps-account-2");
    const before = sessions.openSessionCount();
    const first = [await openSession(one.accessUrl), await openSession(one.accessUrl)];
    const second = [
      await openSession(two.accessUrl),
      await openSession(two.accessUrl),
      await openSession(two.accessUrl),
    ];
    // 3 (first test) + 5 here would be 8 for the account: its cap of 5 closed the oldest three.
    expect(sessions.openSessionCount()).toBe(Math.min(before + 5, 5));
    expect(sessions.openSessionCount(one.serverId) + sessions.openSessionCount(two.serverId)).toBe(5);
    for (const open of [...first, ...second])
      expect((await ping(first.includes(open) ? one.accessUrl : two.accessUrl, open)).status).toBe(200);
  });

  it("closes a session never used after its initialize sooner than a used one", async () => {
    const server = await createServer("caps-idle");
    const unused = await openSession(server.accessUrl);
    const used = await openSession(server.accessUrl);
    expect((await ping(server.accessUrl, used)).status).toBe(200);
    await sessions.sweepIdle(Date.now() + 31_000);
    expect(sessions.getSession(unused)).toBeUndefined();
    expect(sessions.getSession(used)).toBeDefined();
    expect((await ping(server.accessUrl, unused)).status).toBe(404);
    await expect.poll(() => closedRows([unused, used])).toEqual([unused]);
    await sessions.sweepIdle(Date.now() + 601_000);
    expect(sessions.getSession(used)).toBeUndefined();
  });
});
