// Throwaway databases for tests: one migrated template per run, one copy per test file.
// PGlite: a data directory copied from the template. PostgreSQL (DATABASE_URL set): a database
// created from the template database on the same server.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { isPostgresUrl } from "@/server/database-target";
import { migrate } from "@/server/migrations";

export const usePostgres = () => isPostgresUrl(process.env.DATABASE_URL);

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates and migrates the run's template; returns its PGlite directory or PostgreSQL database name. */
export async function createTemplate(): Promise<string> {
  const name = `sb_test_tpl_${process.pid}_${randomBytes(3).toString("hex")}`;
  if (usePostgres()) {
    await adminQuery(process.env.DATABASE_URL!, `CREATE DATABASE "${name}"`);
    const client = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL!, name) });
    await client.connect();
    try {
      await migrate({
        exec: async (sql) => void (await client.query(sql)),
        query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      });
    } finally {
      await client.end();
    }
    return name;
  }
  const dir = path.join(os.tmpdir(), "switchboard-tests", name);
  fs.mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await migrate({
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  });
  await pglite.close();
  return dir;
}

export async function dropTemplate(template: string) {
  if (usePostgres()) await adminQuery(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  else fs.rmSync(template, { recursive: true, force: true });
}

export type TestDatabase = { env: Record<string, string>; drop: () => Promise<void> };

/** A fresh, migrated database copied from the template: env selects it, drop removes it. */
export async function cloneTemplate(template: string): Promise<TestDatabase> {
  const name = `sb_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (usePostgres()) {
    // Captured now: the caller points DATABASE_URL at the copy, which cannot drop itself.
    const adminUrl = process.env.DATABASE_URL!;
    await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    return {
      env: { DATABASE_URL: withDatabase(adminUrl, name) },
      drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const dir = path.join(path.dirname(template), name, "pglite");
  fs.cpSync(template, dir, { recursive: true });
  return {
    env: { PGLITE_DATA_DIR: dir },
    drop: () => Promise.resolve(fs.rmSync(path.dirname(dir), { recursive: true, force: true })),
  };
}
