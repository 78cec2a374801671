// A throwaway database for one bench run, selected through the same environment variables as the app
// (so the services used for seeding, and the server started later, open exactly this one).
// PostgreSQL (DATABASE_URL set): a new database on that server, dropped at the end.
// PGlite: a new data directory under the OS temp dir, removed at the end.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { databaseTarget, isPostgresUrl, type DatabaseTarget } from "@/server/database-target";
import { adminQuery, withDatabase } from "@/test/databases";

export type BenchDatabase = {
  target: DatabaseTarget;
  /** What a child process (the server) needs in its environment to open this database. */
  env: Record<string, string>;
  /** A one-line description without credentials, for the report. */
  label: string;
  drop: () => Promise<void>;
};

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `sb_bench_${randomBytes(4).toString("hex")}`;
  const adminUrl = process.env.DATABASE_URL;
  if (isPostgresUrl(adminUrl)) {
    await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
    const url = withDatabase(adminUrl, name);
    process.env.DATABASE_URL = url;
    return {
      target: databaseTarget(),
      env: { DATABASE_URL: url },
      label: `PostgreSQL ${new URL(url).host}/${name}`,
      // The admin URL was captured above: a database cannot drop itself. FORCE ends the server's
      // connections if it is still shutting down.
      drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const dataDir = path.join(root, "pglite");
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DATA_DIR = dataDir;
  return {
    target: databaseTarget(),
    env: { PGLITE_DATA_DIR: dataDir },
    label: `PGlite ${dataDir}`,
    drop: () => Promise.resolve(fs.rmSync(root, { recursive: true, force: true })),
  };
}
