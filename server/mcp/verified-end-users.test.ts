// Issue #12 finding 4: on a public server's token URL an unverified x-alloy-userid is a label for the usage
// records only. It never selects whose stored credentials go upstream and never passes a users
// allowlist; acting as a particular end user takes a verified x-alloy-user-token (a JWT of the account).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createJwt, createTenant } from "@/test/factories";
import { mcpCall, rpc } from "@/test/mcp-route-client";
import { bearer, call } from "@/test/route-client";
import { startFixture, type Fixture } from "@/test/upstream-fixture";

let key = "";
let accountId = "";
let fixture: Fixture;
let connectorId = "";
let enduser2Jwt = "";
const ENDUSER_2 = "enduser-2";

beforeAll(async () => {
  const tenant = await createTenant({ canActAsAnyUser: true });
  key = tenant.key;
  accountId = tenant.accountId;
  fixture = await startFixture();
  const created = await call("POST", "/api/connectors", {
    headers: bearer(key),
    body: { name: "mail", url: fixture.url, credentialHeader: "x-upstream-token" },
  });
  connectorId = created.body.connectorId;
  // enduser-2's own mail token, stored by the backend (an override key is a verified way to name them).
  const stored = await call("POST", `/api/connectors/${connectorId}/credentials`, {
    headers: bearer(key, { "x-alloy-userid": ENDUSER_2 }),
    body: { value: "enduser-2-mail-token" },
  });
  expect(stored.status).toBe(201);
  enduser2Jwt = (await createJwt(accountId, ENDUSER_2)).token;
});

afterAll(async () => {
  await fixture.close();
});

const mcp = (accessUrl: string, method: string, params: unknown, headers: Record<string, string>) =>
  mcpCall("POST", accessUrl, { headers, body: rpc(method, params) });

async function publicServer(name: string, restrictions?: unknown) {
  const res = await call("POST", "/api/servers", {
    headers: bearer(key),
    body: { name, isPublic: true, ...(restrictions ? { restrictions } : {}) },
  });
  return res.body as { serverId: string; accessUrl: string };
}

const toolText = (res: { body: any }) => JSON.parse(res.body.result.content[0].text as string);

describe("a public server's token URL and x-alloy-userid", () => {
  it("an unverified x-alloy-userid never passes a users allowlist; the user's JWT does", async () => {
    const server = await publicServer("allowlisted", { users: { mode: "allowlist", allowedIds: [ENDUSER_2] } });
    const labelled = await mcp(server.accessUrl, "tools/list", {}, { "x-alloy-userid": ENDUSER_2 });
    expect(labelled.status).toBe(403);
    expect(labelled.body).toEqual({
      error: {
        code: "FORBIDDEN",
        message:
          "User is not permitted on this server (users allowlist): an unverified x-alloy-userid never passes it, send x-alloy-user-token",
      },
    });
    const verified = await mcp(server.accessUrl, "tools/list", {}, { "x-alloy-user-token": enduser2Jwt });
    expect(verified.status).toBe(200);
  });

  it("an unverified x-alloy-userid never unlocks that user's stored credential; the user's JWT does", async () => {
    const server = await publicServer("mailbox");
    const whoami = { name: `${connectorId}__whoami`, arguments: {} };
    const labelled = await mcp(server.accessUrl, "tools/call", whoami, { "x-alloy-userid": ENDUSER_2 });
    expect(labelled.status).toBe(200);
    expect(toolText(labelled)).toEqual({ token: null });
    const verified = await mcp(server.accessUrl, "tools/call", whoami, { "x-alloy-user-token": enduser2Jwt });
    expect(toolText(verified)).toEqual({ token: "enduser-2-mail-token" });

    // execute_action_alloy naming the credential by id is refused too, without saying whether it exists.
    const credentialId = (await db().credential.findFirstOrThrow({ where: { accountId, userId: ENDUSER_2 } })).id;
    const byId = await mcp(
      server.accessUrl,
      "tools/call",
      { name: "execute_action_alloy", arguments: { connectorId, actionId: "whoami", credentialId } },
      { "x-alloy-userid": ENDUSER_2 },
    );
    expect(byId.body.result.isError).toBe(true);
    expect(toolText(byId)).toEqual({
      error: {
        code: "FORBIDDEN",
        message: "Stored credentials need a verified end user: send x-alloy-user-token (a JWT of the account)",
      },
    });

    // The usage record names the label, as given.
    const rows = await db().toolCall.findMany({ where: { serverId: server.serverId }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.userId)).toEqual([ENDUSER_2, ENDUSER_2, ENDUSER_2]);
  });

  it("an unverified x-alloy-userid cannot read, list or plant credentials for that user", async () => {
    const server = await publicServer("planting");
    const before = await db().credential.count({ where: { accountId } });
    const asLabel = { "x-alloy-userid": ENDUSER_2 };
    const refusal = {
      error: {
        code: "FORBIDDEN",
        message: "Stored credentials need a verified end user: send x-alloy-user-token (a JWT of the account)",
      },
    };
    for (const [name, args] of [
      ["create_credential_alloy", { connectorId, value: "attacker-token" }],
      ["get_credentials_alloy", {}],
    ] as const) {
      const res = await mcp(server.accessUrl, "tools/call", { name, arguments: args }, asLabel);
      expect(res.body.result.isError, name).toBe(true);
      expect(toolText(res), name).toEqual(refusal);
    }
    const meta = await mcp(
      server.accessUrl,
      "tools/call",
      { name: "get_credential_metadata_alloy", arguments: { connectorId } },
      asLabel,
    );
    expect(toolText(meta)).toMatchObject({ hasCredential: false });
    expect(await db().credential.count({ where: { accountId } })).toBe(before);

    const verified = await mcp(
      server.accessUrl,
      "tools/call",
      { name: "get_credentials_alloy", arguments: {} },
      { "x-alloy-user-token": enduser2Jwt },
    );
    expect(toolText(verified).credentials).toHaveLength(1);
  });

  it("a label longer than 256 characters is refused before anything is stored", async () => {
    const server = await publicServer("long-labels");
    const res = await mcp(server.accessUrl, "tools/list", {}, { "x-alloy-userid": "u".repeat(257) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: "INVALID_REQUEST", message: "x-alloy-userid must be at most 256 characters on a token URL" },
    });
    expect(await db().serverUserBinding.count({ where: { serverId: server.serverId } })).toBe(0);
    expect((await mcp(server.accessUrl, "tools/list", {}, { "x-alloy-userid": "u".repeat(256) })).status).toBe(200);
  });
});
