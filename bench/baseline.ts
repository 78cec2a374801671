// The baseline: the same reads and the same cascade delete the API performs, issued straight through
// the driver, with no HTTP, authentication, validation, Prisma or JSON in between. The SQL is what
// Prisma 6.19 sends for listServers / getServer (captured from its query log): the page, the count,
// then the page's tokens, restrictions and restriction values, each a separate query, because Prisma
// resolves `include` with one query per relation. Independent queries run in parallel, as the driver
// allows, so the baseline is the fastest these statements can be answered.
import { sha256 } from "@/server/secrets";
import type { Driver } from "./driver";
import { PAGE_SIZE } from "./plan";
import type { Tenant } from "./seed";

const SERVER_COLUMNS = `"id", "accountId", "ownerUserId", "ownerKey", "name", "nameKey", "description",
  "customInstructions", "isPublic", "mode", "createdAt", "updatedAt"`;

const inList = (count: number, from = 1) =>
  count === 0 ? "NULL" : Array.from({ length: count }, (_, i) => `$${i + from}`).join(", ");

/** The relations of the servers in `ids`, the way Prisma's `include` fetches them. */
async function relations(driver: Driver, ids: string[]) {
  const [tokens, restrictions] = await Promise.all([
    driver.query(
      `SELECT "id", "hint", "expiresAt", "serverId" FROM "ServerAccessToken"
       WHERE ("revokedAt" IS NULL AND "graceUntil" IS NULL) AND "serverId" IN (${inList(ids.length)})
       ORDER BY "createdAt" DESC OFFSET $${ids.length + 1}`,
      [...ids, 0],
    ),
    driver.query<{ id: string }>(
      `SELECT "id", "dimension"::text, "mode"::text, "serverId" FROM "ServerRestriction"
       WHERE "serverId" IN (${inList(ids.length)}) OFFSET $${ids.length + 1}`,
      [...ids, 0],
    ),
  ]);
  const restrictionIds = restrictions.map((r) => r.id);
  const values = await driver.query(
    `SELECT "id", "list"::text, "value", "restrictionId" FROM "ServerRestrictionValue"
     WHERE "restrictionId" IN (${inList(restrictionIds.length)})
     ORDER BY "list" ASC, "position" ASC OFFSET $${restrictionIds.length + 1}`,
    [...restrictionIds, 0],
  );
  return { tokens, restrictions, values };
}

export type BaselineOps = {
  list: () => Promise<unknown>;
  get: (serverId: string) => Promise<unknown>;
  delete: (serverId: string) => Promise<unknown>;
};

export function baselineOps(driver: Driver, tenant: Tenant): BaselineOps {
  const owner = tenant.reader.userId;
  const scope = [tenant.accountId, sha256(owner), owner];
  return {
    // GET /api/servers?limit=50: page and count in parallel (Promise.all in the service), then relations.
    list: async () => {
      const [page] = await Promise.all([
        driver.query<{ id: string }>(
          `SELECT ${SERVER_COLUMNS} FROM "McpServer"
           WHERE ("accountId" = $1 AND "ownerKey" = $2 AND "ownerUserId" = $3)
           ORDER BY "createdAt" DESC, "id" DESC LIMIT $4 OFFSET $5`,
          [...scope, PAGE_SIZE, 0],
        ),
        driver.query(
          `SELECT COUNT(*) AS "_count$_all" FROM (SELECT "id" FROM "McpServer"
           WHERE ("accountId" = $1 AND "ownerKey" = $2 AND "ownerUserId" = $3) OFFSET $4) AS "sub"`,
          [...scope, 0],
        ),
      ]);
      return relations(
        driver,
        page.map((row) => row.id),
      );
    },
    // GET /api/servers/{id}: the row in the caller's account, then its relations.
    get: async (serverId) => {
      const rows = await driver.query<{ id: string }>(
        `SELECT ${SERVER_COLUMNS} FROM "McpServer" WHERE ("id" = $1 AND "accountId" = $2) LIMIT $3 OFFSET $4`,
        [serverId, tenant.accountId, 1, 0],
      );
      if (rows.length !== 1) throw new Error(`baseline get: server ${serverId} not found`);
      return relations(driver, [serverId]);
    },
    // DELETE /api/servers/{id}: the one statement whose ON DELETE CASCADE foreign keys remove the rest.
    delete: async (serverId) => {
      const deleted = await driver.execute(`DELETE FROM "McpServer" WHERE id = $1`, [serverId]);
      if (deleted !== 1) throw new Error(`baseline delete: server ${serverId} not found`);
    },
  };
}

export type Timed = { latencies: number[]; seconds: number };

/** Runs `op` `count` times one after another and times each call. */
export async function timeSequential(count: number, op: (i: number) => Promise<unknown>): Promise<Timed> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await op(i);
    latencies.push(performance.now() - t0);
  }
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Runs `op` from `concurrency` loops for `seconds` and times each call (closed loop, like autocannon). */
export async function timeConcurrent(
  concurrency: number,
  seconds: number,
  op: (i: number) => Promise<unknown>,
): Promise<Timed> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op(next++);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}
