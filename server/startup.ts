import "server-only";
import { databaseTarget, describeTarget } from "@/server/database-target";
import { migrateDatabase } from "@/server/db";
import { logger } from "@/server/logger";

/** Opens the database and applies pending migrations before the first request is served. */
export async function openAtStartup() {
  const database = describeTarget(databaseTarget());
  try {
    const applied = await migrateDatabase();
    logger.info("database ready", { database, migrationsApplied: applied });
  } catch (error) {
    logger.error("cannot open the database", { database, error: (error as Error).message });
    process.exit(1);
  }
}
