// A crash (SIGKILL) in the middle of a delete or a create leaves each server entirely present or
// entirely gone: every multi-row change is one transaction, and the cascade is the database's own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "@/server/db";
import { startApp, type RunningApp } from "@/test/app-process";
import { PER_SERVER_TABLES } from "@/test/concurrency/race-kit";
import { createTenant } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

const TOOL_CALLS = 100_000;
const SESSIONS = 1_000;

let key = "";
let app: RunningApp | undefined;

async function countsOf(serverId: string) {
  const counts: Record<string, number> = {};
  for (const table of PER_SERVER_TABLES) {
    const [row] = await db().$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "serverId" = $1`,
      serverId,
    );
    counts[table] = row!.n;
  }
  return counts;
}

async function orphans() {
  let total = 0;
  for (const table of PER_SERVER_TABLES) {
    const [row] = await db().$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM "McpServer" s WHERE s.id = t."serverId")`,
    );
    total += row!.n;
  }
  return total;
}

/** A server with 100,000 tool calls, 1,000 sessions, restrictions, two tokens and user bindings. */
async function seedHeavyServer(name: string) {
  const created = await call("POST", "/api/servers", {
    headers: bearer(key),
    body: { name, restrictions: { users: { mode: "allowlist", allowedIds: ["a", "b", "c"] } } },
  });
  const serverId = created.body.serverId as string;
  await call("POST", `/api/servers/${serverId}/token`, { headers: bearer(key), body: { graceSeconds: 600 } });
  await db().$executeRawUnsafe(
    `INSERT INTO "McpSession" (id, "serverId", "userId") SELECT $1 || '-ses-' || g, $1, 'u' FROM generate_series(1, ${SESSIONS}) g`,
    serverId,
  );
  await db().$executeRawUnsafe(
    `INSERT INTO "ToolCall" (id, "serverId", "sessionId", "userId", "toolName", status, "durationMs")
     SELECT $1 || '-tc-' || g, $1, CASE WHEN g % 3 = 0 THEN NULL ELSE $1 || '-ses-' || (g % ${SESSIONS} + 1) END, 'u', 'slack__post', 'ok', g % 1000
     FROM generate_series(1, ${TOOL_CALLS}) g`,
    serverId,
  );
  await db().$executeRawUnsafe(
    `INSERT INTO "ServerUserBinding" (id, "serverId", "userId", "userKey") SELECT $1 || '-ub-' || g, $1, 'u' || g, 'k' || g FROM generate_series(1, 50) g`,
    serverId,
  );
  return serverId;
}

const deleteRequest = (baseUrl: string, serverId: string) =>
  fetch(`${baseUrl}/api/servers/${serverId}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });

let calibration = "";
let victim = "";
let bystander = "";
let seeded: Record<string, number> = {};
let bystanderSeeded: Record<string, number> = {};

beforeAll(async () => {
  key = (await createTenant()).key;
  calibration = await seedHeavyServer("Calibration");
  victim = await seedHeavyServer("Victim");
  bystander = await seedHeavyServer("Bystander");
  seeded = await countsOf(victim);
  bystanderSeeded = await countsOf(bystander);
  expect(seeded.ToolCall).toBe(TOOL_CALLS);
  await closeDb(); // the server owns the database from here (PGlite: one process at a time)
}, 300_000);

afterAll(async () => {
  await app?.stop();
});

describe("crash safety", () => {
  it("leaves a server that was being deleted at SIGKILL either entirely present or entirely gone", async () => {
    app = await startApp();
    // Warm the route up (first requests load modules), then time an uninterrupted delete of the same
    // shape, so the crash lands in the middle of the victim's.
    const preview = await fetch(`${app.baseUrl}/api/servers/${calibration}?dryRun=true`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(preview.status).toBe(200);
    const t0 = performance.now();
    expect((await deleteRequest(app.baseUrl, calibration)).status).toBe(200);
    const deleteMs = performance.now() - t0;

    const inFlight = deleteRequest(app.baseUrl, victim).then(
      (res) => res.status,
      () => "connection lost",
    );
    await new Promise((resolve) => setTimeout(resolve, deleteMs / 2));
    await app.crash();
    const outcome = await inFlight;
    expect(["connection lost", 200]).toContain(outcome);

    // Restart on the same database: it must come up (PGlite replays its WAL) and serve.
    app = await startApp();
    const after = await fetch(`${app.baseUrl}/api/servers/${victim}`, { headers: { authorization: `Bearer ${key}` } });
    expect([200, 404]).toContain(after.status);
    await app.stop();
    app = undefined;

    const counts = await countsOf(victim);
    const present = (await db().mcpServer.count({ where: { id: victim } })) === 1;
    if (present) {
      expect(counts).toEqual(seeded);
      expect(after.status).toBe(200);
      expect(await db().auditEvent.count({ where: { serverId: victim, action: "server.deleted" } })).toBe(0);
    } else {
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      expect(after.status).toBe(404);
      expect(await db().auditEvent.count({ where: { serverId: victim, action: "server.deleted" } })).toBe(1);
    }
    expect(await countsOf(bystander)).toEqual(bystanderSeeded);
    expect(await orphans()).toBe(0);
    console.log(
      `crash-safety: delete of ${TOOL_CALLS} tool calls takes ${Math.round(deleteMs)} ms; killed at ${Math.round(deleteMs / 2)} ms; server ${present ? "kept whole" : "gone whole"}`,
    );
    await closeDb();
  });

  it("leaves every server created around a SIGKILL complete: a token, its restrictions and its audit event", async () => {
    app = await startApp();
    await fetch(`${app.baseUrl}/api/servers`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "warm up" }),
    });
    // Kill the server the moment the first create has answered, while the others are in flight.
    let firstCreated: () => void = () => undefined;
    const oneCreated = new Promise<void>((resolve) => (firstCreated = resolve));
    const attempts = Array.from({ length: 30 }, (_, i) =>
      fetch(`${app!.baseUrl}/api/servers`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          name: `crash create ${i}`,
          restrictions: { connectors: { mode: "blocklist", blockedIds: ["x", "y"] } },
        }),
      }).then(
        (res) => {
          if (res.status === 201) firstCreated();
          return res.status;
        },
        () => "connection lost",
      ),
    );
    await Promise.race([oneCreated, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await app.crash();
    const outcomes = await Promise.all(attempts);
    app = await startApp();
    await app.stop();
    app = undefined;

    const created = await db().mcpServer.findMany({
      where: { name: { startsWith: "crash create" } },
      select: { id: true },
    });
    // Every answered 201 is durable…
    expect(outcomes.filter((o) => o === 201).length).toBeGreaterThanOrEqual(1);
    expect(created.length).toBeGreaterThanOrEqual(outcomes.filter((o) => o === 201).length);
    // …and every server that exists is whole.
    for (const { id } of created) {
      expect(await countsOf(id)).toMatchObject({
        ServerAccessToken: 1,
        ServerRestriction: 1,
        ServerRestrictionValue: 2,
      });
      expect(await db().auditEvent.count({ where: { serverId: id, action: "server.created" } })).toBe(1);
    }
    expect(await orphans()).toBe(0);
    console.log(
      `crash-safety: ${created.length} of 30 creates committed before the kill, ${outcomes.filter((o) => o === 201).length} answered`,
    );
  });
});
