// Seeds a fresh database for a run. Credentials go through the product's own services (so the keys
// are exactly what the CLI would mint); the bulk rows go straight through the driver with
// INSERT … SELECT generate_series, which writes 100,000 rows in one statement instead of 100,000
// round trips through Prisma.
import { closeDb } from "@/server/db";
import { sha256 } from "@/server/secrets";
import { createAccount } from "@/server/services/accounts";
import { createApiKey } from "@/server/services/api-keys";
import type { Driver } from "./driver";
import type { Plan } from "./plan";

export type Caller = { userId: string; key: string };

export type Tenant = {
  accountId: string;
  /** Owns exactly `plan.listServers` servers for the whole run, so every list page counts the same. */
  reader: Caller;
  /** Owns everything that is created, updated and deleted, so writes never change the reader's count. */
  writer: Caller;
};

/** Creates the account and two API keys through the services, then closes Prisma (PGlite: one opener). */
export async function createBenchTenant(): Promise<Tenant> {
  const { accountId, userId } = await createAccount({
    email: `bench-${Date.now()}@example.com`,
    password: "a long benchmark password",
  });
  const reader = await createApiKey(accountId, { name: "bench reader", defaultUserId: userId });
  const writer = await createApiKey(accountId, { name: "bench writer", defaultUserId: "bench-writer" });
  await closeDb();
  return {
    accountId,
    reader: { userId, key: reader.key },
    writer: { userId: "bench-writer", key: writer.key },
  };
}

export type Seeded = {
  listIds: string[];
  putIds: string[];
  /** Delete victims by associated-row count: one list for the baseline, one for the API. */
  victims: Map<number, { baseline: string[]; api: string[] }>;
  /** Victims of the readers-during-delete measurement. */
  underLoadIds: string[];
  /** Throwaway victims that warm up the delete path of each side before it is timed. */
  warmupIds: { baseline: string[]; api: string[] };
  rowsWritten: number;
  seconds: number;
};

/**
 * Inserts `count` servers for one owner, each with a current access token, and returns their ids.
 * createdAt steps back one millisecond per server so "newest first" is a total order.
 */
async function insertServers(driver: Driver, accountId: string, owner: string, prefix: string, count: number) {
  if (count === 0) return [];
  const rows = await driver.query<{ id: string }>(
    `INSERT INTO "McpServer" (id, "accountId", "ownerUserId", "ownerKey", name, "nameKey", description, "createdAt", "updatedAt")
     SELECT $3 || '-' || g || '-' || lpad(to_hex(g), 8, '0'), $1, $2, $4,
            $5 || ' ' || g, lower($5 || ' ' || g), 'Seeded by the benchmark',
            now() - g * interval '1 millisecond', now()
     FROM generate_series(1, $6::int) AS g
     ORDER BY g
     RETURNING id`,
    [accountId, owner, prefix, sha256(owner), prefix.replace(/-/g, " "), count],
  );
  const ids = rows.map((row) => row.id);
  await driver.execute(
    `INSERT INTO "ServerAccessToken" (id, "serverId", "tokenHash", hint, "expiresAt")
     SELECT 'tok_' || md5(s.id), s.id, encode(sha256(convert_to('sbt_bench_' || s.id, 'UTF8')), 'hex'),
            right(md5(s.id), 4), now() + interval '90 days'
     FROM unnest($1::text[]) AS s(id)`,
    [ids],
  );
  return ids;
}

/**
 * Gives a server `rows` associated rows in the shape real use leaves behind: one fifth MCP sessions,
 * one fifth end-user bindings, the rest tool calls (two thirds of them inside a session, so the
 * cascade reaches them by two foreign keys, as it does in production).
 */
async function insertAssociatedRows(driver: Driver, serverId: string, rows: number) {
  const sessions = Math.floor(rows / 5);
  const bindings = Math.floor(rows / 5);
  const toolCalls = rows - sessions - bindings;
  if (sessions > 0) {
    await driver.execute(
      `INSERT INTO "McpSession" (id, "serverId", "userId")
       SELECT 'ses_' || $1 || '_' || g, $1, 'end-user-' || (g % 50) FROM generate_series(1, $2::int) AS g`,
      [serverId, sessions],
    );
  }
  if (toolCalls > 0) {
    await driver.execute(
      `INSERT INTO "ToolCall" (id, "serverId", "sessionId", "userId", "connectorId", "actionId", "toolName", status, "durationMs", "createdAt")
       SELECT 'tc_' || $1 || '_' || g, $1,
              CASE WHEN $3::int = 0 OR g % 3 = 0 THEN NULL ELSE 'ses_' || $1 || '_' || (1 + g % greatest($3::int, 1)) END,
              'end-user-' || (g % 50), 'slack', 'post_message', 'slack__post_message',
              CASE WHEN g % 20 = 0 THEN 'error' ELSE 'ok' END, g % 1000, now() - g * interval '1 second'
       FROM generate_series(1, $2::int) AS g`,
      [serverId, toolCalls, sessions],
    );
  }
  if (bindings > 0) {
    await driver.execute(
      `INSERT INTO "ServerUserBinding" (id, "serverId", "userId", "userKey")
       SELECT 'sub_' || $1 || '_' || g, $1, 'end-user-' || g, md5('end-user-' || g) FROM generate_series(1, $2::int) AS g`,
      [serverId, bindings],
    );
  }
}

export async function seed(driver: Driver, tenant: Tenant, plan: Plan, log: (line: string) => void): Promise<Seeded> {
  const started = performance.now();
  let rowsWritten = 0;
  const servers = async (owner: Caller, prefix: string, count: number) => {
    const ids = await insertServers(driver, tenant.accountId, owner.userId, prefix, count);
    rowsWritten += 2 * ids.length;
    return ids;
  };

  const listIds = await servers(tenant.reader, "bench-list", plan.listServers);
  log(`seeded ${listIds.length} servers for the list`);
  const putIds = await servers(tenant.writer, "bench-put", plan.putTargets);
  const warmup = await servers(tenant.writer, "bench-warm", 4);

  const victims = new Map<number, { baseline: string[]; api: string[] }>();
  const withRows = async (prefix: string, count: number, rows: number) => {
    const ids = await servers(tenant.writer, prefix, count);
    for (const id of ids) {
      await insertAssociatedRows(driver, id, rows);
      rowsWritten += rows;
    }
    return ids;
  };
  for (const { rows, repetitions } of plan.deletes) {
    const ids = await withRows(`bench-del${rows}`, 2 * repetitions, rows);
    victims.set(rows, { baseline: ids.slice(0, repetitions), api: ids.slice(repetitions) });
    log(`seeded ${ids.length} delete victims with ${rows} rows each`);
  }
  const underLoadIds = await withRows(
    "bench-busy",
    plan.underLoad.deletes * plan.underLoad.readers.length,
    plan.underLoad.rows,
  );

  // Fresh statistics and a vacuumed heap, as a database in steady state has: otherwise the planner
  // guesses on empty-table statistics and autovacuum wakes up in the middle of a measurement.
  await driver.execute("VACUUM ANALYZE");
  if (driver.kind === "postgres") {
    // Flush the seeding's dirty pages now rather than in a checkpoint during a measurement.
    await driver.execute("CHECKPOINT").catch(() => undefined);
  }
  return {
    listIds,
    putIds,
    victims,
    underLoadIds,
    warmupIds: { baseline: warmup.slice(0, 2), api: warmup.slice(2) },
    rowsWritten,
    seconds: (performance.now() - started) / 1000,
  };
}
