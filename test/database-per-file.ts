// Every test file gets its own migrated database, selected through the same env variables as the app.
import { afterAll, inject } from "vitest";
import { closeDb } from "@/server/db";
import { cloneTemplate } from "./databases";

const database = await cloneTemplate(inject("databaseTemplate"));
Object.assign(process.env, database.env);

afterAll(async () => {
  await closeDb();
  await database.drop();
});
