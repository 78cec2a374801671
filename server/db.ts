import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { databaseTarget } from "@/server/database-target";
import { PrismaClient } from "@/server/generated/prisma/client";
import { migrate, type SqlRunner } from "@/server/migrations";
import { lockDataDir } from "@/server/pglite-lock";

export type Db = PrismaClient;
/** The client handed to an interactive transaction callback. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type Handle = {
  client: PrismaClient;
  /** The embedded database itself, for the migrator (PGlite has a single connection). */
  pglite?: PGlite;
  close: () => Promise<void>;
};

// Survives Next.js dev-mode module reloads, so a reload does not try to open PGlite a second time.
const globalForDb = globalThis as unknown as { switchboardDb?: Handle };

function open(): Handle {
  const target = databaseTarget();
  if (target.kind === "postgres") {
    const client = new PrismaClient({
      // Bursts of writers queue for a pooled connection: wait for one (10 s) rather than answering 500
      // after Prisma's default 2 s (41 concurrent writers on a pool of 10 did, in the concurrency suite).
      transactionOptions: { maxWait: 10_000, timeout: 30_000 },
      adapter: new PrismaPg({ connectionString: target.url, max: postgresPoolSize() }),
    });
    return { client, close: () => client.$disconnect() };
  }
  const release = lockDataDir(target.dataDir);
  const pglite = new PGlite(target.dataDir);
  const client = new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
  return {
    client,
    pglite,
    close: async () => {
      await client.$disconnect();
      await pglite.close();
      release();
    },
  };
}

function postgresPoolSize(): number {
  const size = Number.parseInt(process.env.DATABASE_POOL_SIZE ?? "", 10);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

function handle(): Handle {
  globalForDb.switchboardDb ??= open();
  return globalForDb.switchboardDb;
}

/**
 * The Prisma client, opened on first use and never at import time: `next build` imports route
 * modules in several worker processes at once, and PGlite must be opened by one process only.
 */
export function db(): PrismaClient {
  return handle().client;
}

export async function closeDb(): Promise<void> {
  const current = globalForDb.switchboardDb;
  globalForDb.switchboardDb = undefined;
  await current?.close();
}

/** Applies pending migrations to the configured database; returns the names it applied. */
export async function migrateDatabase(): Promise<string[]> {
  const target = databaseTarget();
  if (target.kind === "pglite") {
    const pglite = handle().pglite!;
    return migrate({
      exec: async (sql) => void (await pglite.exec(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    });
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const runner: SqlRunner = {
      exec: async (sql) => void (await client.query(sql)),
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    };
    return await migrate(runner);
  } finally {
    await client.end();
  }
}
