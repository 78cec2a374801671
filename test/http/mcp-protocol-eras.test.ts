// Both protocol eras on both MCP URLs, through the production build over real HTTP, with clients nobody
// here wrote: the v2 SDK client pinned to 2026-07-28, the v2 client in auto mode (server/discover, then
// the modern era), and the v1 SDK client (2025-11-25 sessions); plus the 2026-07-28 wire rules a client
// library hides (header/body checks and their error codes, 405 for GET/DELETE, resultType, cache fields).
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/server/db";
import { startApp, type RunningApp } from "@/test/app-process";
import { registerConnector } from "@/test/connectors";
import { createTenant } from "@/test/factories";
import { startEverything, type Everything } from "@/test/upstream-fixture";

let app: RunningApp;
let base = "";
let key = "";
let everything: Everything;
let everythingId = "";
let server: { serverId: string; accessUrl: string; url: string };

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  const tenant = await createTenant();
  key = tenant.key;
  // PGlite: one process per data dir. Seed first, then hand the database to the app.
  await closeDb();
  everything = await startEverything();
  app = await startApp({ CONNECTOR_TIMEOUT_MS: "5000" });
  base = app.baseUrl;
  everythingId = await registerConnector(rest, { name: "everything", url: everything.url });
  const created = await rest("POST", "/api/servers", { name: "eras", customInstructions: "Be brief." });
  expect(created.status).toBe(201);
  server = created.body;
}, 180_000);

afterAll(async () => {
  await app?.stop();
  everything?.close();
});

type Mode = "pinned 2026-07-28" | "v2 auto" | "v1 (2025-11-25)";
const MODES: Mode[] = ["pinned 2026-07-28", "v2 auto", "v1 (2025-11-25)"];
const URLS = ["token URL", "API URL"] as const;

async function connect(mode: Mode, which: (typeof URLS)[number]) {
  const url = new URL(which === "token URL" ? server.accessUrl : server.url);
  const headers: Record<string, string> = which === "API URL" ? { authorization: `Bearer ${key}` } : {};
  if (mode === "v1 (2025-11-25)") {
    const client = new ClientV1({ name: "v1-client", version: "1.0.0" });
    const transport = new TransportV1(url, { requestInit: { headers } });
    await client.connect(transport);
    return { client, version: transport.protocolVersion ?? "", sessionId: transport.sessionId, era: "legacy" };
  }
  const client = new ClientV2(
    { name: "v2-client", version: "1.0.0" },
    { versionNegotiation: { mode: mode === "v2 auto" ? "auto" : { pin: "2026-07-28" } } },
  );
  const transport = new TransportV2(url, { requestInit: { headers } });
  await client.connect(transport);
  return {
    client,
    version: client.getNegotiatedProtocolVersion(),
    sessionId: transport.sessionId,
    era: client.getProtocolEra(),
  };
}

describe.each(URLS)("the %s", (which) => {
  it.each(MODES)("%s: negotiates, lists the tools in a fixed order and calls an upstream tool", async (mode) => {
    const { client, version, sessionId, era } = await connect(mode, which);
    try {
      if (mode === "v1 (2025-11-25)") {
        expect(version).toBe("2025-11-25");
        expect(sessionId).toEqual(expect.any(String));
        expect(era).toBe("legacy");
      } else {
        // Modern: no initialize, no session.
        expect(version).toBe("2026-07-28");
        expect(era).toBe("modern");
        expect(sessionId).toBeUndefined();
      }
      const first = (await client.listTools()).tools.map((t) => t.name);
      const second = (await client.listTools()).tools.map((t) => t.name);
      expect(second).toEqual(first);
      expect(first.slice(0, 8)).toEqual([
        "list_connectors_alloy",
        "get_connector_resources_alloy",
        "get_action_details_alloy",
        "execute_action_alloy",
        "get_credentials_alloy",
        "get_credential_metadata_alloy",
        "create_credential_alloy",
        "discover_action_path_alloy",
      ]);
      expect(first).toContain(`${everythingId}__echo`);
      const echo = await client.callTool({ name: `${everythingId}__echo`, arguments: { message: `hi ${mode}` } });
      expect(echo.isError).toBeFalsy();
      expect(JSON.stringify(echo.content)).toContain(`hi ${mode}`);
      const refused = await client.callTool({ name: "no_such_tool", arguments: {} });
      expect(refused.isError).toBe(true);
    } finally {
      await client.close();
    }
  });
});

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "wire-test", version: "1.0.0" },
};
let id = 0;

async function modern(method: string, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(server.accessUrl, {
    method: "POST",
    headers: {
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": method,
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: { ...params, _meta: META } }),
  });
  return { status: res.status, body: await res.json() };
}

describe("the 2026-07-28 wire rules", () => {
  it("server/discover offers 2026-07-28 with the capabilities, resultType and private cache fields", async () => {
    const res = await modern("server/discover", {});
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({
      supportedVersions: ["2026-07-28"],
      capabilities: { tools: {} },
      instructions: "Be brief.",
      resultType: "complete",
      ttlMs: 0,
      cacheScope: "private",
    });
  });

  it("tools/list carries resultType and cacheScope private (the answer depends on the server's restrictions)", async () => {
    const res = await modern("tools/list", {});
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ resultType: "complete", ttlMs: 0, cacheScope: "private" });
  });

  it("tools/call carries resultType", async () => {
    const res = await modern(
      "tools/call",
      { name: "list_connectors_alloy", arguments: {} },
      { "mcp-name": "list_connectors_alloy" },
    );
    expect(res.status).toBe(200);
    expect(res.body.result.resultType).toBe("complete");
    expect(JSON.parse(res.body.result.content[0].text).connectors[0].connectorId).toBe(everythingId);
  });

  it("a Mcp-Method or Mcp-Name header that disagrees with the body is -32020", async () => {
    const method = await modern("tools/list", {}, { "mcp-method": "tools/call" });
    expect(method.status).toBe(400);
    expect(method.body.error.code).toBe(-32020);
    const name = await modern("tools/call", { name: "list_connectors_alloy", arguments: {} }, { "mcp-name": "other" });
    expect(name.status).toBe(400);
    expect(name.body.error.code).toBe(-32020);
  });

  it("an unsupported version is -32022 naming the supported one; an unknown method is HTTP 404 -32601", async () => {
    const res = await fetch(server.accessUrl, {
      method: "POST",
      headers: {
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        "mcp-protocol-version": "2099-01-01",
        "mcp-method": "tools/list",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: ++id,
        method: "tools/list",
        params: { _meta: { ...META, "io.modelcontextprotocol/protocolVersion": "2099-01-01" } },
      }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: -32022, data: { supported: ["2026-07-28"] } });
    const unknown = await modern("no/such-method", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe(-32601);
  });

  it("GET and DELETE are 405 in modern mode", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(server.accessUrl, {
        method,
        headers: { accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28" },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("the checks before the protocol keep the REST envelope for modern requests", async () => {
    const res = await fetch(`${base}/mcp/${server.serverId}/not-the-token`, {
      method: "POST",
      headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: META } }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid access token" } });
  });
});
