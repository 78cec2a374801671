// Issue #12 finding 12: after a server was deleted, its description, custom instructions and restrictions
// stayed in the audit log. The audit trail of a deleted server keeps who, when, which id and which name.
import { beforeAll, expect, it } from "vitest";
import { db } from "@/server/db";
import { browser, createTenant, sessionCookie } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

let auth: Record<string, string>;
let dashboard: Record<string, string>;
beforeAll(async () => {
  const tenant = await createTenant();
  auth = bearer(tenant.key);
  dashboard = browser(await sessionCookie(tenant.userId));
});

it("a deleted server's audit events keep who, when, id and name, not its contents", async () => {
  const secret = "internal escalation phone 555-0199";
  const created = await call("POST", "/api/servers", {
    headers: auth,
    body: {
      name: "Payroll Desk",
      description: secret,
      customInstructions: secret,
      restrictions: { users: { mode: "allowlist", allowedIds: ["ceo@example.com"] } },
    },
  });
  const serverId = created.body.serverId as string;
  await call("PUT", `/api/servers/${serverId}`, { headers: auth, body: { description: `${secret} v2` } });
  await call("POST", `/api/servers/${serverId}/token`, { headers: auth, body: { graceSeconds: 60 } });
  expect((await call("DELETE", `/api/servers/${serverId}`, { headers: auth })).status).toBe(200);

  const events = await db().auditEvent.findMany({ where: { serverId }, orderBy: { createdAt: "asc" } });
  expect(events.map((e) => e.action)).toEqual([
    "server.created",
    "server.updated",
    "server.token_rotated",
    "server.deleted",
  ]);
  for (const event of events) {
    expect(event).toMatchObject({ serverId, serverName: "Payroll Desk", oldValues: null, newValues: null });
    expect(event.actorId).toBeTruthy();
  }
  expect(JSON.stringify(events)).not.toContain("555-0199");
  expect(JSON.stringify(events)).not.toContain("ceo@example.com");

  const listed = await call("GET", `/api/audit?serverId=${serverId}`, { headers: dashboard });
  expect(listed.status).toBe(200);
  expect(listed.body.events ?? listed.body).toBeTruthy();
  expect(JSON.stringify(listed.body)).not.toContain("555-0199");
});
