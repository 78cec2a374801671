// Prisma CLI configuration: migrations run through the WASM schema engine and a driver adapter, so no
// native engine binary is ever downloaded (docs/decisions/0001-prisma-6-wasm-schema-engine.md).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { databaseTarget } from "./server/database-target";
import { lockDataDir } from "./server/pglite-lock";

const target = databaseTarget();
// Prisma 6 insists on a datasource url in the schema even when an adapter does the connecting;
// the embedded database has none, so give the schema a placeholder that is never dialled.
if (target.kind === "pglite") process.env.DATABASE_URL = "postgresql://embedded-pglite.invalid/switchboard";

// @prisma/adapter-pg 6.19 cannot decode the `name` type (oid 19) that the schema engine reads from
// pg_catalog; report it as text (oid 25). Only the CLI needs this: the app never reads the catalog.
function catalogSafePool(connectionString: string) {
  const pool = new pg.Pool({ connectionString });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: typeof query }).query = async (...args) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === 19) field.dataTypeID = 25;
    return result;
  };
  return pool;
}

// pglite-prisma-adapter 0.6 starts a migration script without awaiting it (`executeScript` returns at
// once), so the CLI can record a migration as applied while PGlite is still writing it. Run the script
// to completion instead. Even so, the Prisma CLI exits without closing PGlite, which now and then
// leaves a WAL that PGlite cannot replay ("could not locate a valid checkpoint record"): the app and
// `npm run db:migrate` therefore apply migrations in-process (server/migrations.ts), and this path is
// kept for `prisma migrate deploy` on PostgreSQL and for `prisma migrate diff`, which opens nothing.
function awaitingScripts(factory: PrismaPGlite): PrismaPGlite {
  const pglite = (factory as unknown as { client: PGlite }).client;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      await pglite.exec(script);
    };
    return adapter;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter() {
    if (target.kind === "postgres") return Promise.resolve(new PrismaPg(catalogSafePool(target.url)));
    // The same lock as the app: migrating under a running server would corrupt the data directory.
    lockDataDir(target.dataDir);
    return Promise.resolve(awaitingScripts(new PrismaPGlite(new PGlite(target.dataDir))));
  },
});
