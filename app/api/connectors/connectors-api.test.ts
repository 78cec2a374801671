// The connectors and credentials REST API in-process: validation, tenant scope, secrets at rest.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { createTenant } from "@/test/factories";
import { bearer, call } from "@/test/route-client";
import { startFixture } from "@/test/upstream-fixture";

let a: Awaited<ReturnType<typeof createTenant>>;
let b: Awaited<ReturnType<typeof createTenant>>;
// Nothing listens on port 9: discovery fails fast and is recorded as the connector's health.
const DEAD_URL = "http://127.0.0.1:9/mcp";

beforeAll(async () => {
  a = await createTenant({ canActAsAnyUser: true });
  b = await createTenant();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("POST /api/connectors", () => {
  it("registers a Streamable HTTP connector, encrypts its headers and reports discovery failures as health", async () => {
    const created = await call("POST", "/api/connectors", {
      headers: bearer(a.key),
      body: { name: "Dead Upstream", url: DEAD_URL, headers: { authorization: "Bearer upstream-secret" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      connectorId: expect.stringMatching(/^dead-upstream-[0-9a-f]{8}$/),
      transport: "http",
      headerNames: ["authorization"],
      actionCount: 0,
      actions: [],
      health: { status: "error", lastError: expect.stringMatching(/connector/) },
    });
    expect(created.text).not.toContain("upstream-secret");
    const row = await db().connector.findUniqueOrThrow({ where: { id: created.body.connectorId } });
    expect(row.configEncrypted).toMatch(/^v1\./);
    expect(row.configEncrypted).not.toContain("upstream-secret");
  });

  it("never echoes a header value that cannot be sent (line break) into the health it reports", async () => {
    // fetch refuses such a value with an error that quotes it; that message used to become lastError.
    const created = await call("POST", "/api/connectors", {
      headers: bearer(a.key),
      body: { name: "Broken Header", url: DEAD_URL, headers: { "x-api-key": "line-one\nTOPSECRET-42" } },
    });
    expect(created.status).toBe(201);
    expect(created.body.health).toMatchObject({ status: "error", lastError: expect.stringContaining("x-api-key") });
    expect(created.text).not.toContain("TOPSECRET-42");
    const row = await db().connector.findUniqueOrThrow({ where: { id: created.body.connectorId } });
    expect(row.lastError).not.toContain("TOPSECRET-42");
  });

  it("rejects invalid bodies with 400 naming the field", async () => {
    for (const body of [
      {},
      { name: "x" },
      { name: "x", url: "ftp://example.com" },
      { name: "x", url: DEAD_URL, command: "node" },
      { name: "x", url: DEAD_URL, args: ["a"] },
      { name: "x", url: DEAD_URL, stdioCommand: "memory" },
      { name: "x", stdioCommand: "memory", headers: { "x-a": "b" } },
      { name: "x", stdioCommand: "Not A Name" },
      { name: "x", url: DEAD_URL, headers: { "bad header": "v" } },
      { name: "x", url: DEAD_URL, extra: true },
    ]) {
      const res = await call("POST", "/api/connectors", { headers: bearer(a.key), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("INVALID_REQUEST");
    }
  });

  it("refuses stdio connectors unless the operator lists the command", async () => {
    vi.stubEnv("CONNECTORS_STDIO_COMMANDS", "");
    const refused = await call("POST", "/api/connectors", {
      headers: bearer(a.key),
      body: { name: "local", stdioCommand: "node" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0].path).toBe("stdioCommand");
  });
});

describe("tenant scope", () => {
  it("another account's connector is CONNECTOR_NOT_FOUND everywhere", async () => {
    const created = await call("POST", "/api/connectors", {
      headers: bearer(a.key),
      body: { name: "mine", url: DEAD_URL },
    });
    const id = created.body.connectorId as string;
    for (const [method, path, body] of [
      ["GET", `/api/connectors/${id}`],
      ["DELETE", `/api/connectors/${id}`],
      ["POST", `/api/connectors/${id}/refresh`],
      ["GET", `/api/connectors/${id}/credentials`],
      ["POST", `/api/connectors/${id}/credentials`, { value: "s" }],
    ] as const) {
      const res = await call(method, path, { headers: bearer(b.key), body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("CONNECTOR_NOT_FOUND");
    }
    expect((await call("GET", "/api/connectors", { headers: bearer(b.key) })).body.count).toBe(0);
    expect((await call("GET", `/api/connectors/${id}`, { headers: bearer(a.key) })).status).toBe(200);
    expect((await call("GET", "/api/connectors/Not_Valid", { headers: bearer(a.key) })).body.error.code).toBe(
      "CONNECTOR_NOT_FOUND",
    );
  });
});

describe("credentials", () => {
  it("belong to one end user, are encrypted at rest, and go with their connector", async () => {
    const created = await call("POST", "/api/connectors", {
      headers: bearer(a.key),
      body: { name: "creds", url: DEAD_URL },
    });
    const id = created.body.connectorId as string;
    const asAlice = bearer(a.key, { "x-alloy-userid": "alice" });
    const cred = await call("POST", `/api/connectors/${id}/credentials`, {
      headers: asAlice,
      body: { value: "alice-secret" },
    });
    expect(cred.status).toBe(201);
    expect(cred.text).not.toContain("alice-secret");
    const row = await db().credential.findUniqueOrThrow({ where: { id: cred.body.credentialId } });
    expect(row.secretEncrypted).not.toContain("alice-secret");

    const aliceList = await call("GET", `/api/connectors/${id}/credentials`, { headers: asAlice });
    expect(aliceList.body.count).toBe(1);
    const bobList = await call("GET", `/api/connectors/${id}/credentials`, {
      headers: bearer(a.key, { "x-alloy-userid": "bob" }),
    });
    expect(bobList.body.count).toBe(0);
    const bobDelete = await call("DELETE", `/api/connectors/${id}/credentials/${cred.body.credentialId}`, {
      headers: bearer(a.key, { "x-alloy-userid": "bob" }),
    });
    expect(bobDelete.body.error.code).toBe("CREDENTIAL_NOT_FOUND");

    expect((await call("DELETE", `/api/connectors/${id}`, { headers: bearer(a.key) })).status).toBe(200);
    expect(await db().credential.count({ where: { connectorId: id } })).toBe(0);
  });
});

describe("a connector deleted while its discovery runs", () => {
  it("makes the refresh (or the create) answer CONNECTOR_NOT_FOUND, not a 500", async () => {
    let answer: (() => void) | undefined;
    let asked!: () => void;
    const discovering = new Promise<void>((resolve) => (asked = resolve));
    const upstream = await startFixture({
      tools: async () => {
        if (!answer) return [];
        asked();
        await new Promise<void>((resolve) => (answer = resolve));
        return [{ name: "late", inputSchema: { type: "object" } }];
      },
    });
    try {
      const created = await call("POST", "/api/connectors", {
        headers: bearer(a.key),
        body: { name: "Racing", url: upstream.url },
      });
      expect(created.status).toBe(201);
      const id = created.body.connectorId as string;
      answer = () => undefined; // from now on, tools/list waits for the test
      const refresh = call("POST", `/api/connectors/${id}/refresh`, { headers: bearer(a.key) });
      await discovering;
      expect((await call("DELETE", `/api/connectors/${id}`, { headers: bearer(a.key) })).status).toBe(200);
      answer();
      const refreshed = await refresh;
      expect(refreshed.status).toBe(404);
      expect(refreshed.body.error.code).toBe("CONNECTOR_NOT_FOUND");
      expect(await db().connectorAction.count({ where: { connectorId: id } })).toBe(0);
    } finally {
      await upstream.close();
    }
  });
});
