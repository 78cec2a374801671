// DELETE /api/servers/{serverId}: the cascade, the dry run, the audit record, and the edge cases.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { bearer, call } from "@/test/route-client";
import { createTenant, seedServerWithRows } from "@/test/factories";

let tenant: Awaited<ReturnType<typeof createTenant>>;
let auth: Record<string, string>;

beforeAll(async () => {
  tenant = await createTenant();
  auth = bearer(tenant.key);
});

// Each table that hangs off a server, by the name the dry run reports it under.
const perServerCounts = async (serverId: string) => {
  const where = { serverId };
  return {
    accessTokens: await db().serverAccessToken.count({ where }),
    restrictions: await db().serverRestriction.count({ where }),
    restrictionValues: await db().serverRestrictionValue.count({ where }),
    sessions: await db().mcpSession.count({ where }),
    toolCalls: await db().toolCall.count({ where }),
    userBindings: await db().serverUserBinding.count({ where }),
  };
};

const seedServer = (name: string, scale: number) => seedServerWithRows(auth, name, scale);

describe("DELETE /api/servers/{serverId}", () => {
  it("removes every row of every per-server table, leaves other servers intact, and matches the dry run", async () => {
    const doomed = await seedServer("Doomed", 7);
    const survivor = await seedServer("Survivor", 4);
    const survivorBefore = await perServerCounts(survivor);

    const preview = await call("DELETE", `/api/servers/${doomed}?dryRun=true`, { headers: auth });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      dryRun: true,
      serverId: doomed,
      name: "Doomed",
      impact: { accessTokens: 2, restrictions: 3, restrictionValues: 11, sessions: 7, toolCalls: 21, userBindings: 7 },
    });
    // The dry run deleted nothing, and its counts are the rows that are there.
    expect(await perServerCounts(doomed)).toEqual(preview.body.impact);

    const res = await call("DELETE", `/api/servers/${doomed}`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Server deleted", serverId: doomed });

    expect(await db().mcpServer.count({ where: { id: doomed } })).toBe(0);
    expect(await perServerCounts(doomed)).toEqual({
      accessTokens: 0,
      restrictions: 0,
      restrictionValues: 0,
      sessions: 0,
      toolCalls: 0,
      userBindings: 0,
    });
    expect(await perServerCounts(survivor)).toEqual(survivorBefore);
    expect((await call("GET", `/api/servers/${survivor}`, { headers: auth })).status).toBe(200);
  });

  it("records who deleted which server, in an audit event that outlives the server", async () => {
    const serverId = (await call("POST", "/api/servers", { headers: auth, body: { name: "Audited" } })).body.serverId;
    expect((await call("DELETE", `/api/servers/${serverId}`, { headers: auth })).status).toBe(200);
    const events = await db().auditEvent.findMany({ where: { serverId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["server.created", "server.deleted"]);
    expect(events[1]).toMatchObject({
      accountId: tenant.accountId,
      actorType: "api_key",
      actorId: tenant.keyId,
      serverId,
      serverName: "Audited",
    });
  });

  it("answers 404 to a second delete, and writes no second audit event", async () => {
    const serverId = (await call("POST", "/api/servers", { headers: auth, body: { name: "Twice" } })).body.serverId;
    expect((await call("DELETE", `/api/servers/${serverId}`, { headers: auth })).status).toBe(200);
    const second = await call("DELETE", `/api/servers/${serverId}`, { headers: auth });
    expect(second.status).toBe(404);
    expect(second.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
    expect(await db().auditEvent.count({ where: { serverId, action: "server.deleted" } })).toBe(1);
    expect((await call("DELETE", `/api/servers/${serverId}?dryRun=true`, { headers: auth })).status).toBe(404);
  });

  it("answers another account's server byte for byte like a missing one, and deletes nothing", async () => {
    const other = await createTenant();
    const foreign = (await call("POST", "/api/servers", { headers: bearer(other.key), body: { name: "Foreign" } })).body
      .serverId;
    const missing = foreign.replace(/[0-9a-f]{8}$/, (hex: string) => (hex === "00000000" ? "00000001" : "00000000"));
    for (const query of ["", "?dryRun=true"]) {
      const forForeign = await call("DELETE", `/api/servers/${foreign}${query}`, { headers: auth });
      const forMissing = await call("DELETE", `/api/servers/${missing}${query}`, { headers: auth });
      expect(forForeign.status).toBe(404);
      expect(forForeign.text).toBe(forMissing.text);
    }
    expect(await db().mcpServer.count({ where: { id: foreign } })).toBe(1);
  });

  it("lets exactly one of several concurrent deletes win; the others answer 404", async () => {
    const serverId = await seedServer("Contended", 3);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call("DELETE", `/api/servers/${serverId}`, { headers: auth })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array<number>(9).fill(404)]);
    expect(await db().auditEvent.count({ where: { serverId, action: "server.deleted" } })).toBe(1);
  });

  it("frees the name for a new server", async () => {
    const first = (await call("POST", "/api/servers", { headers: auth, body: { name: "Reusable" } })).body.serverId;
    expect((await call("DELETE", `/api/servers/${first}`, { headers: auth })).status).toBe(200);
    const second = await call("POST", "/api/servers", { headers: auth, body: { name: "reusable" } });
    expect(second.status).toBe(201);
    expect(second.body.serverId).not.toBe(first);
  });
});

describe("the schema", () => {
  it("cascades every foreign key to a server, and the dry run counts every such table", async () => {
    const rows = await db().$queryRaw<{ table: string; onDelete: string }[]>`
      SELECT conrelid::regclass::text AS "table", confdeltype::text AS "onDelete"
      FROM pg_constraint WHERE contype = 'f' AND confrelid = '"McpServer"'::regclass ORDER BY 1`;
    expect(rows).toEqual(
      [
        '"McpSession"',
        '"ServerAccessToken"',
        '"ServerRestriction"',
        '"ServerRestrictionValue"',
        '"ServerUserBinding"',
        '"ToolCall"',
      ].map((table) => ({ table, onDelete: "c" })),
    );
    // A new per-server table must be added to the dry run's impact (and to this list) to pass.
    expect(Object.keys(await perServerCounts("none"))).toHaveLength(rows.length);
  });

  it("indexes every foreign-key column that points at a server", async () => {
    const unindexed = await db().$queryRaw<{ table: string }[]>`
      SELECT c.conrelid::regclass::text AS "table"
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.confrelid = '"McpServer"'::regclass
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1]
        )`;
    expect(unindexed).toEqual([]);
  });

  it("keeps audit events free of foreign keys", async () => {
    const rows = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND conrelid = '"AuditEvent"'::regclass`;
    expect(rows[0]!.n).toBe(0);
  });
});
