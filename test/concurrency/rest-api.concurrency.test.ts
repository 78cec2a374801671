// Concurrent requests against the REST API (docs/api.md sections 1 and 3), through the real route handlers and
// database. On PGlite the adapter runs one transaction at a time; on PostgreSQL (DATABASE_URL set) they
// really run in parallel on the connection pool, so these races exercise row locks, unique constraints
// and the cascade. Properties: no 5xx ever, the documented status for every loser (404 for a server that
// is gone, 409 for a name that is taken), exactly one winner where there can be only one, one audit event
// per change that was answered 2xx, and never an orphan row.
//
// A 5xx fails with the `unhandled error` line the product logged for that request (matched by its
// x-request-id): error lines go to stderr whatever LOG_LEVEL says, and are collected here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { bearer, call } from "@/test/route-client";
import { createTenant, seedServerWithRows } from "@/test/factories";
import {
  auditCount,
  expectNoOrphans,
  expectStatuses,
  noRows,
  perServerCounts,
  PER_SERVER_TABLES,
  startRaceKit,
  stopRaceKit,
  tally,
} from "@/test/concurrency/race-kit";

const PARALLEL = 50;
const RACE_ROUNDS = 5;
const TIMEOUT_MS = 120_000;

let tenant: Awaited<ReturnType<typeof createTenant>>;
let auth: Record<string, string>;

beforeAll(async () => {
  await startRaceKit();
  tenant = await createTenant();
  auth = bearer(tenant.key);
});

afterAll(() => stopRaceKit());

/** A server with rows in every per-server table (test/factories.ts). */
async function seedServer(name: string, scale: number) {
  const serverId = await seedServerWithRows(auth, name, scale);
  const counts = await perServerCounts(serverId);
  for (const table of PER_SERVER_TABLES) expect(counts[table], table).toBeGreaterThan(0);
  return serverId;
}

describe("concurrent requests", () => {
  it(
    `${PARALLEL} parallel DELETEs of one server: exactly one 200, the rest 404, every row gone, one audit event`,
    async () => {
      const serverId = await seedServer("Contended Delete", 4);
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, i) => ({
          label: `DELETE #${i}`,
          res: await call("DELETE", `/api/servers/${serverId}`, { headers: auth }),
        })),
      );
      expectStatuses(results, () => [200, 404]);
      expect(tally(results)).toEqual({ 200: 1, 404: PARALLEL - 1 });
      const winner = results.find((r) => r.res.status === 200)!.res;
      expect(winner.body).toEqual({ message: "Server deleted", serverId });
      for (const { res } of results.filter((r) => r.res.status === 404)) {
        expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
      }
      expect(await db().mcpServer.count({ where: { id: serverId } })).toBe(0);
      expect(await perServerCounts(serverId)).toEqual(noRows());
      expect(await auditCount(serverId, "server.deleted")).toBe(1);
      await expectNoOrphans();
    },
    TIMEOUT_MS,
  );

  it(
    `${PARALLEL} parallel creates with one name: exactly one 201, the rest 409 CONFLICT, one server, one token`,
    async () => {
      const name = "Contended Name";
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, i) => ({
          label: `POST #${i}`,
          res: await call("POST", "/api/servers", { headers: auth, body: { name } }),
        })),
      );
      expectStatuses(results, () => [201, 409]);
      expect(tally(results)).toEqual({ 201: 1, 409: PARALLEL - 1 });
      for (const { res } of results.filter((r) => r.res.status === 409)) {
        expect(res.body.error.code).toBe("CONFLICT");
      }
      const winner = results.find((r) => r.res.status === 201)!.res.body;
      const servers = await db().mcpServer.findMany({
        where: { accountId: tenant.accountId, nameKey: name.toLowerCase() },
        select: { id: true },
      });
      expect(servers).toEqual([{ id: winner.serverId }]);
      expect(await db().serverAccessToken.count({ where: { serverId: winner.serverId } })).toBe(1);
      expect(
        await db().auditEvent.count({
          where: { accountId: tenant.accountId, action: "server.created", serverName: name },
        }),
      ).toBe(1);
    },
    TIMEOUT_MS,
  );

  it(
    `${PARALLEL} parallel creates with case variants of one name: exactly one 201, the rest 409`,
    async () => {
      const variants = ["mixed case", "MIXED CASE", "Mixed Case", "mIxEd CaSe", "Mixed case"];
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, i) => ({
          label: `POST #${i} ${variants[i % variants.length]}`,
          res: await call("POST", "/api/servers", { headers: auth, body: { name: variants[i % variants.length] } }),
        })),
      );
      expectStatuses(results, () => [201, 409]);
      expect(tally(results)).toEqual({ 201: 1, 409: PARALLEL - 1 });
      expect(await db().mcpServer.count({ where: { accountId: tenant.accountId, nameKey: "mixed case" } })).toBe(1);
    },
    TIMEOUT_MS,
  );

  describe.each(Array.from({ length: RACE_ROUNDS }, (_, round) => round + 1))("race round %i", (round) => {
    it(
      "a DELETE racing 20 PUTs and 20 token rotations: no 5xx, the right status for each, no orphan",
      async () => {
        const serverId = await seedServer(`Race ${round}`, 3);
        const decoy = await call("POST", "/api/servers", { headers: auth, body: { name: `Decoy ${round}` } });
        expect(decoy.status).toBe(201);
        const decoyBefore = await perServerCounts(decoy.body.serverId);

        type Op = { label: string; method: string; url: string; body?: unknown; allowed: number[] };
        const puts: Op[] = Array.from({ length: 20 }, (_, i) => {
          const restrictions = {
            connectors: { mode: i % 2 ? "allowlist" : "blocklist", allowedIds: [`c${i}`], blockedIds: [`b${i}`] },
            ...(i % 3 === 0
              ? { users: { mode: "allowlist", allowedIds: Array.from({ length: i }, (_, k) => `u${k}`) } }
              : {}),
          };
          const bodies = [
            { restrictions },
            { name: `Race ${round} v${i}`, restrictions },
            { description: `description ${i}`, isPublic: i % 2 === 0, customInstructions: `be brief ${i}` },
            { name: `DECOY ${round}` }, // taken by another server: 409 while this one exists
            { restrictions: {} },
          ];
          const body = bodies[i % bodies.length]!;
          return {
            label: `PUT #${i} ${JSON.stringify(body).slice(0, 80)}`,
            method: "PUT",
            url: `/api/servers/${serverId}`,
            body,
            allowed: i % bodies.length === 3 ? [409, 404] : [200, 404],
          };
        });
        const rotations: Op[] = Array.from({ length: 20 }, (_, i) => ({
          label: `ROTATE #${i}`,
          method: "POST",
          url: `/api/servers/${serverId}/token`,
          body: i % 2 ? { graceSeconds: 60 * i, tokenExpiresInDays: i + 1 } : undefined,
          allowed: [200, 404],
        }));
        const remove: Op = { label: "DELETE", method: "DELETE", url: `/api/servers/${serverId}`, allowed: [200] };
        // Interleave the writers, and start the delete at a different point in each round.
        const ops: Op[] = puts.flatMap((put, i) => [put, rotations[i]!]);
        ops.splice(((round - 1) * 9) % (ops.length + 1), 0, remove);

        const results = await Promise.all(
          ops.map(async (op) => ({
            label: op.label,
            res: await call(op.method, op.url, { headers: auth, ...(op.body === undefined ? {} : { body: op.body }) }),
          })),
        );
        const allowedFor = new Map(ops.map((op) => [op.label, op.allowed]));
        expectStatuses(results, (label) => allowedFor.get(label)!);

        // Nothing anywhere points at a missing server.
        await expectNoOrphans();

        // Either the delete won and the server is gone with every row, or (only if the DELETE failed, which
        // is reported above) it is still there and consistent.
        const deleted = results.find((r) => r.label === "DELETE")!.res.status === 200;
        const present = await db().mcpServer.count({ where: { id: serverId } });
        expect
          .soft(present, deleted ? "answered 200 to DELETE but the server is still there" : "")
          .toBe(deleted ? 0 : 1);
        if (present === 0) {
          expect.soft(await perServerCounts(serverId), "rows of the deleted server").toEqual(noRows());
          expect.soft(await auditCount(serverId, "server.deleted")).toBe(1);
        } else {
          const current = await db().serverAccessToken.count({
            where: { serverId, revokedAt: null, graceUntil: null },
          });
          expect.soft(current, "current tokens of the surviving server").toBe(1);
          expect.soft(await auditCount(serverId, "server.deleted")).toBe(0);
        }

        // One audit event per change answered 200, none for a refused one.
        const ok = (prefix: string) => results.filter((r) => r.label.startsWith(prefix) && r.res.status === 200).length;
        expect.soft(await auditCount(serverId, "server.updated"), "server.updated events").toBe(ok("PUT"));
        expect
          .soft(await auditCount(serverId, "server.token_rotated"), "server.token_rotated events")
          .toBe(ok("ROTATE") + 1); // + the seed's rotation

        // Answers after the delete: 404, never a ghost.
        if (present === 0) {
          for (const [method, url] of [
            ["GET", `/api/servers/${serverId}`],
            ["PUT", `/api/servers/${serverId}`],
            ["POST", `/api/servers/${serverId}/token`],
            ["DELETE", `/api/servers/${serverId}`],
          ] as const) {
            const res = await call(method, url, {
              headers: auth,
              ...(method === "PUT" ? { body: { name: "ghost" } } : {}),
            });
            expect.soft(res.status, `${method} ${url} after the delete`).toBe(404);
          }
        }
        // The other server is untouched, and keeps its name.
        expect(await perServerCounts(decoy.body.serverId)).toEqual(decoyBefore);
        const decoyNow = await call("GET", `/api/servers/${decoy.body.serverId}`, { headers: auth });
        expect(decoyNow.body.name).toBe(`Decoy ${round}`);
      },
      TIMEOUT_MS,
    );
  });

  it(
    "concurrent PUTs and rotations of a live server: all 200, and it stays consistent",
    async () => {
      const serverId = await seedServer("Busy", 3);
      const ops = Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? { label: `ROTATE #${i}`, method: "POST", url: `/api/servers/${serverId}/token`, body: { graceSeconds: i } }
          : {
              label: `PUT #${i}`,
              method: "PUT",
              url: `/api/servers/${serverId}`,
              body: {
                name: `Busy ${i}`,
                restrictions: {
                  actions: { mode: "blocklist", blockedActions: Array.from({ length: i }, (_, k) => `a${k}`) },
                },
              },
            },
      );
      const results = await Promise.all(
        ops.map(async (op) => ({
          label: op.label,
          res: await call(op.method, op.url, { headers: auth, body: op.body }),
        })),
      );
      expectStatuses(results, () => [200]);

      // Exactly one current token (every rotated-out one revoked or in its grace period), one restriction
      // row per part, and the server reads back as the last write left it.
      const tokens = await db().serverAccessToken.findMany({
        where: { serverId },
        select: { hint: true, revokedAt: true, graceUntil: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      });
      const current = tokens.filter((t) => t.revokedAt === null && t.graceUntil === null);
      expect
        .soft(current.length, `tokens neither revoked nor in grace after 20 rotations: ${JSON.stringify(current)}`)
        .toBe(1);
      expect.soft(tokens).toHaveLength(1 + 1 + 20); // created, the seed's rotation, 20 rotations
      const restrictionRows = await db().serverRestriction.findMany({
        where: { serverId },
        select: { dimension: true },
      });
      expect.soft(restrictionRows.map((r) => r.dimension)).toEqual(["actions"]);
      const got = await call("GET", `/api/servers/${serverId}`, { headers: auth });
      expect(got.status).toBe(200);
      const values = await db().serverRestrictionValue.count({ where: { serverId } });
      expect.soft(got.body.restrictions.actions.blockedActions).toHaveLength(values);
      expect.soft(got.body.name).toBe(`Busy ${values}`);
      expect.soft(current.map((t) => t.hint)).toEqual([got.body.tokenHint]);
      expect.soft(await auditCount(serverId, "server.updated")).toBe(20);
      expect.soft(await auditCount(serverId, "server.token_rotated")).toBe(21);
    },
    TIMEOUT_MS,
  );

  it(
    `${PARALLEL} parallel creates of different names by one owner: all 201, and the list counts them all`,
    async () => {
      const owner = await createTenant();
      const headers = bearer(owner.key);
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, async (_, i) => ({
          label: `POST #${i}`,
          res: await call("POST", "/api/servers", {
            headers,
            body: { name: `Parallel ${i}`, restrictions: { users: { mode: "allowlist", allowedIds: [`u${i}`] } } },
          }),
        })),
      );
      expectStatuses(results, () => [201]);
      const created = results.map((r) => r.res.body.serverId as string);
      expect(new Set(created).size).toBe(PARALLEL);

      const list = await call("GET", "/api/servers?limit=1000", { headers });
      expect(list.status).toBe(200);
      expect(list.body.count).toBe(PARALLEL);
      expect(list.body.hasMore).toBe(false);
      expect(list.body.servers.map((s: { serverId: string }) => s.serverId).sort()).toEqual([...created].sort());
      expect(await db().serverAccessToken.count({ where: { serverId: { in: created } } })).toBe(PARALLEL);
      expect(await db().auditEvent.count({ where: { accountId: owner.accountId, action: "server.created" } })).toBe(
        PARALLEL,
      );
    },
    TIMEOUT_MS,
  );
});
