// SIGTERM lets in-flight requests finish before the process exits (rolling deploys, Ctrl-C).
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeDb, db } from "@/server/db";
import { newId } from "@/server/secrets";
import { startApp, type RunningApp } from "@/test/app-process";
import { createTenant } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

let app: RunningApp;
let key = "";
let serverId = "";

beforeAll(async () => {
  const tenant = await createTenant();
  key = tenant.key;
  serverId = (await call("POST", "/api/servers", { headers: bearer(key), body: { name: "Busy" } })).body.serverId;
  // Enough tool-call rows that deleting them takes a noticeable while.
  const rows = Array.from({ length: 5000 }, (_, i) => ({
    id: newId("tc"),
    serverId,
    userId: "u",
    toolName: "t",
    status: "ok",
    durationMs: i,
  }));
  for (let round = 0; round < 4; round++)
    await db().toolCall.createMany({ data: rows.map((r) => ({ ...r, id: newId("tc") })) });
  await closeDb();
  app = await startApp();
}, 180_000);

afterAll(() => app?.stop());

it("finishes a delete that is in flight when SIGTERM arrives, then exits", async () => {
  const started = Date.now();
  const pending = fetch(`${app.baseUrl}/api/servers/${serverId}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${key}` },
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  const stopped = app.stop();
  const res = await pending;
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ message: "Server deleted", serverId });
  await stopped;
  console.log(`delete answered after ${Date.now() - started} ms`);
});
