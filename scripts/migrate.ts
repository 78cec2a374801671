// `npm run db:migrate`: apply pending migrations to the configured database and print what ran.
import { closeDb, migrateDatabase } from "@/server/db";
import { databaseTarget, describeTarget } from "@/server/database-target";

try {
  const applied = await migrateDatabase();
  process.stdout.write(`${JSON.stringify({ database: describeTarget(databaseTarget()), applied })}\n`);
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
