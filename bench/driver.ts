// The database straight through its driver (pg or PGlite), with no Prisma, HTTP, auth or validation
// in between: what the seeding and the baseline measurements use.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseTarget } from "@/server/database-target";
import { lockDataDir } from "@/server/pglite-lock";

export type Driver = {
  kind: DatabaseTarget["kind"];
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
};

/**
 * PostgreSQL: a pool of `poolSize` connections, the same size as the app's, so concurrent baseline
 * queries get the same parallelism as concurrent API requests. PGlite: the single in-process
 * connection (it has no other), under the same data-directory lock as the app.
 */
export async function openDriver(target: DatabaseTarget, poolSize: number): Promise<Driver> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: poolSize });
    return {
      kind: "postgres",
      query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
      execute: async (sql, params) => (await pool.query(sql, params)).rowCount ?? 0,
      close: () => pool.end(),
    };
  }
  const release = lockDataDir(target.dataDir);
  const pglite = await PGlite.create(target.dataDir);
  return {
    kind: "pglite",
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    execute: async (sql, params) => (await pglite.query(sql, params)).affectedRows ?? 0,
    close: async () => {
      await pglite.close();
      release();
    },
  };
}
