// The MCP endpoint end to end with real peers: the production build serves it, upstream connectors are
// the reference servers (server-everything over Streamable HTTP, server-memory over stdio) plus a small
// SDK fixture, and the clients are the SDK's own Client and a plain fetch client that never keeps a
// session id.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/server/db";
import { freePort, startApp, type RunningApp } from "@/test/app-process";
import { createJwt, createTenant } from "@/test/factories";
import { startEverything, startFixture, type Everything, type Fixture } from "@/test/upstream-fixture";

const root = path.resolve(import.meta.dirname, "../..");
let app: RunningApp;
let base = "";
let key = "";
let ownerId = "";
let jwtUser = "";
let jwt = "";
/** End users' JWTs: acting as an end user on a public token URL takes a verified one (issue #12). */
const userJwts: Record<string, string> = {};
let everything: Everything;
let fixture: Fixture;
const memoryFile = path.join(os.tmpdir(), `switchboard-memory-${process.pid}.jsonl`);
const clients: Client[] = [];

async function rest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function sdkClient(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: "switchboard-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

const ACCEPT = { accept: "application/json, text/event-stream", "content-type": "application/json" };
let rpcId = 0;

/** A simple client: one POST, no session id, reads either a JSON or an SSE answer. */
async function rpc(url: string, method: string, params: unknown = {}, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { ...ACCEPT, ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
  });
  const text = await res.text();
  let body: any = null;
  if (res.headers.get("content-type")?.includes("text/event-stream")) {
    const data = text.split("\n").find((line) => line.startsWith("data: "));
    body = data ? JSON.parse(data.slice(6)) : null;
  } else if (text) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}

const initParams = (protocolVersion = "2025-06-18") => ({
  protocolVersion,
  capabilities: {},
  clientInfo: { name: "fetch-client", version: "1.0.0" },
});

const textOf = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

async function createServer(body: Record<string, unknown>) {
  const created = await rest("POST", "/api/servers", body);
  expect(created.status).toBe(201);
  return created.body as { serverId: string; accessUrl: string; url: string; accessToken: string };
}

let everythingId = "";
let memoryId = "";
let fixtureId = "";

beforeAll(async () => {
  const tenant = await createTenant({ canActAsAnyUser: true });
  key = tenant.key;
  ownerId = tenant.userId;
  jwtUser = "jwt-end-user";
  jwt = (await createJwt(tenant.accountId, jwtUser)).token;
  for (const user of ["carol", "dave"]) userJwts[user] = (await createJwt(tenant.accountId, user)).token;
  // PGlite: one process per data dir. Seed first, then hand the database to the app.
  await closeDb();
  everything = await startEverything();
  fixture = await startFixture();
  const stdioCommands = {
    memory: {
      command: process.execPath,
      args: [path.join(root, "node_modules/@modelcontextprotocol/server-memory/dist/index.js")],
      env: { MEMORY_FILE_PATH: memoryFile },
    },
  };
  app = await startApp({ CONNECTORS_STDIO_COMMANDS: JSON.stringify(stdioCommands), CONNECTOR_TIMEOUT_MS: "3000" });
  base = app.baseUrl;

  const e = await rest("POST", "/api/connectors", { name: "everything", url: everything.url });
  expect(e.status).toBe(201);
  everythingId = e.body.connectorId;
  const m = await rest("POST", "/api/connectors", { name: "memory", stdioCommand: "memory" });
  expect(m.status).toBe(201);
  memoryId = m.body.connectorId;
  const f = await rest("POST", "/api/connectors", {
    name: "fixture",
    url: fixture.url,
    credentialHeader: "x-upstream-token",
  });
  expect(f.status).toBe(201);
  fixtureId = f.body.connectorId;
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await app?.stop();
  everything?.close();
  await fixture?.close();
  fs.rmSync(memoryFile, { force: true });
});

describe("connectors", () => {
  it("discovers and caches the tools of a Streamable HTTP and a stdio upstream, with health", async () => {
    const e = await rest("GET", `/api/connectors/${everythingId}`);
    expect(e.status).toBe(200);
    expect(e.body.health).toEqual({ status: "ok", lastCheckedAt: expect.any(String), lastError: null });
    expect(e.body.actions.map((a: { actionId: string }) => a.actionId)).toContain("echo");
    const m = await rest("GET", `/api/connectors/${memoryId}`);
    expect(m.body.actions.map((a: { actionId: string }) => a.actionId)).toEqual(
      expect.arrayContaining(["create_entities", "read_graph"]),
    );
    const list = await rest("GET", "/api/connectors");
    expect(list.body.count).toBe(3);
    const refreshed = await rest("POST", `/api/connectors/${everythingId}/refresh`);
    expect(refreshed.body.actionCount).toBe(e.body.actionCount);
  });

  it("records a down or garbage upstream as health, never as a failed request", async () => {
    const downPort = await freePort();
    const down = await rest("POST", "/api/connectors", { name: "down", url: `http://127.0.0.1:${downPort}/mcp` });
    expect(down.status).toBe(201);
    expect(down.body.health.status).toBe("error");
    expect(down.body.health.lastError).toMatch(/connector/);
    const garbage = await rest("POST", "/api/connectors", { name: "garbage", url: fixture.garbageUrl });
    expect(garbage.body.health.status).toBe("error");
    expect((await rest("DELETE", `/api/connectors/${down.body.connectorId}`)).status).toBe(200);
    expect((await rest("DELETE", `/api/connectors/${garbage.body.connectorId}`)).status).toBe(200);
    expect((await rest("GET", `/api/connectors/${garbage.body.connectorId}`)).body.error.code).toBe(
      "CONNECTOR_NOT_FOUND",
    );
  });

  it("never shows header or env secrets again", async () => {
    const c = await rest("POST", "/api/connectors", {
      name: "with secret",
      url: fixture.url,
      headers: { "x-api-key": "upstream-secret-value" },
    });
    expect(JSON.stringify(c.body)).not.toContain("upstream-secret-value");
    expect(c.body.headerNames).toEqual(["x-api-key"]);
    await rest("DELETE", `/api/connectors/${c.body.connectorId}`);
  });
});

describe("the MCP endpoint with the SDK client (sessions)", () => {
  it("initializes with the custom instructions, lists Alloy and upstream tools, and calls them", async () => {
    const server = await createServer({ name: "sdk", customInstructions: "Be brief." });
    const client = await sdkClient(server.accessUrl);
    expect(client.getInstructions()).toBe("Be brief.");
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "list_connectors_alloy",
        "get_connector_resources_alloy",
        "get_action_details_alloy",
        "execute_action_alloy",
        "get_credentials_alloy",
        "get_credential_metadata_alloy",
        "create_credential_alloy",
        "discover_action_path_alloy",
        `${everythingId}__echo`,
        `${memoryId}__read_graph`,
      ]),
    );
    const echo = await client.callTool({ name: `${everythingId}__echo`, arguments: { message: "hi" } });
    expect(textOf(echo)).toContain("hi");
    const viaAlloy = await client.callTool({
      name: "execute_action_alloy",
      arguments: { connectorId: everythingId, actionId: "echo", parameters: { message: "alloy" } },
    });
    expect(textOf(viaAlloy)).toContain("alloy");
    const connectors = JSON.parse(textOf(await client.callTool({ name: "list_connectors_alloy", arguments: {} })));
    expect(connectors.connectors.map((c: { connectorId: string }) => c.connectorId)).toContain(memoryId);
    const details = JSON.parse(
      textOf(
        await client.callTool({
          name: "get_action_details_alloy",
          arguments: { connectorId: everythingId, actionId: "echo" },
        }),
      ),
    );
    expect(details.inputSchema.properties).toHaveProperty("message");
    const path = JSON.parse(
      textOf(
        await client.callTool({ name: "discover_action_path_alloy", arguments: { query: "echo a message back" } }),
      ),
    );
    expect(path.actions[0]).toMatchObject({ connectorId: everythingId, actionId: "echo" });

    // stdio upstream through the same endpoint: state written by one call is read by the next.
    await client.callTool({
      name: `${memoryId}__create_entities`,
      arguments: { entities: [{ name: "Switchboard", entityType: "project", observations: ["tested"] }] },
    });
    expect(textOf(await client.callTool({ name: `${memoryId}__read_graph`, arguments: {} }))).toContain("Switchboard");

    const impact = await rest("DELETE", `/api/servers/${server.serverId}?dryRun=true`);
    expect(impact.body.impact).toMatchObject({ sessions: 1, toolCalls: 7, userBindings: 1 });
  });

  it("works on the API URL with an API key, and x-alloy-userid cannot open another user's private server", async () => {
    const server = await createServer({ name: "api url" });
    const client = await sdkClient(server.url, { authorization: `Bearer ${key}` });
    expect((await client.listTools()).tools.length).toBeGreaterThan(8);
    const other = await rpc(server.url, "initialize", initParams(), {
      authorization: `Bearer ${key}`,
      "x-alloy-userid": "someone-else",
    });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("FORBIDDEN");
    const none = await rpc(server.url, "initialize", initParams());
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("UNAUTHORIZED");
  });
});

describe("the MCP endpoint with a fetch client (no session id)", () => {
  it("answers each POST on its own, for protocol 2024-11-05 and newer", async () => {
    const server = await createServer({ name: "fetch", customInstructions: "Use the tools." });
    for (const version of ["2024-11-05", "2025-03-26", "2025-06-18"]) {
      const init = await rpc(server.accessUrl, "initialize", initParams(version));
      expect(init.status).toBe(200);
      expect(init.body.result.protocolVersion).toBe(version);
      expect(init.body.result.instructions).toBe("Use the tools.");
    }
    const list = await rpc(server.accessUrl, "tools/list");
    expect(list.status).toBe(200);
    expect(list.body.result.tools.map((t: { name: string }) => t.name)).toContain(`${everythingId}__echo`);
    const call = await rpc(server.accessUrl, "tools/call", {
      name: `${everythingId}__echo`,
      arguments: { message: "plain" },
    });
    expect(call.body.result.content[0].text).toContain("plain");
    expect((await rpc(server.accessUrl, "ping")).body.result).toEqual({});
    expect((await rpc(server.accessUrl, "resources/list")).body.result).toEqual({ resources: [] });
    expect((await rpc(server.accessUrl, "prompts/list")).body.result).toEqual({ prompts: [] });
  });

  it("answers a wrong Accept with 406 and a bad token with 401, both in the error envelope", async () => {
    const server = await createServer({ name: "errors" });
    const res = await fetch(server.accessUrl, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(res.status).toBe(406);
    expect((await res.json()).error.message).toMatch(/text\/event-stream/);
    const bad = await rpc(`${server.url}/sbt_not-a-real-token`, "ping");
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid access token" } });
    const missing = await rpc(`${base}/mcp/nope-00000000/sbt_x`, "ping");
    expect(missing.status).toBe(401);
  });
});

describe("restrictions", () => {
  it("apply identically to tools/list and tools/call, and a refusal names the restriction", async () => {
    const server = await createServer({
      name: "restricted",
      restrictions: {
        connectors: { mode: "blocklist", blockedIds: [memoryId] },
        actions: { mode: "blocklist", blockedActions: [`${everythingId}:get-sum`] },
      },
    });
    const client = await sdkClient(server.accessUrl);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain(`${everythingId}__echo`);
    expect(names).not.toContain(`${everythingId}__get-sum`);
    expect(names.some((n) => n.startsWith(`${memoryId}__`))).toBe(false);

    const blockedAction = await client.callTool({ name: `${everythingId}__get-sum`, arguments: { a: 1, b: 2 } });
    expect(blockedAction.isError).toBe(true);
    expect(JSON.parse(textOf(blockedAction)).error.message).toMatch(/restriction "actions"/);
    const blockedConnector = await client.callTool({
      name: "execute_action_alloy",
      arguments: { connectorId: memoryId, actionId: "read_graph" },
    });
    expect(blockedConnector.isError).toBe(true);
    expect(JSON.parse(textOf(blockedConnector)).error.message).toMatch(/restriction "connectors"/);
    const connectors = JSON.parse(textOf(await client.callTool({ name: "list_connectors_alloy", arguments: {} })));
    expect(connectors.connectors.map((c: { connectorId: string }) => c.connectorId)).not.toContain(memoryId);

    // An edit applies to the open session at once.
    await rest("PUT", `/api/servers/${server.serverId}`, {
      restrictions: { actions: { mode: "allowlist", allowedActions: ["echo"] } },
    });
    const after = (await client.listTools()).tools.map((t) => t.name);
    expect(after.filter((n) => n.includes("__"))).toEqual([`${everythingId}__echo`]);
  });

  it("lets the users restriction decide who may use a public server", async () => {
    const server = await createServer({
      name: "public",
      isPublic: true,
      restrictions: { users: { mode: "blocklist", blockedIds: ["mallory"] } },
    });
    const alice = await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-userid": "alice" });
    expect(alice.status).toBe(200);
    const mallory = await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-userid": "mallory" });
    expect(mallory.status).toBe(403);
    expect(mallory.body.error.message).toMatch(/users/);
    const viaJwt = await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-user-token": jwt });
    expect(viaJwt.status).toBe(200);
    await rest("PUT", `/api/servers/${server.serverId}`, {
      restrictions: { users: { mode: "allowlist", allowedIds: [jwtUser] } },
    });
    expect((await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-userid": "alice" })).status).toBe(403);
    expect((await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-user-token": jwt })).status).toBe(200);

    const impact = await rest("DELETE", `/api/servers/${server.serverId}?dryRun=true`);
    expect(impact.body.impact.userBindings).toBe(2);
  });

  it("a private server's token URL acts as its owner only", async () => {
    const server = await createServer({ name: "private" });
    expect((await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-userid": ownerId })).status).toBe(200);
    expect((await rpc(server.accessUrl, "tools/list", {}, { "x-alloy-userid": "intruder" })).status).toBe(403);
  });
});

describe("per-user credentials", () => {
  it("are stored per end user and connector, sent upstream in the declared header, and survive the server", async () => {
    const server = await createServer({ name: "creds", isPublic: true });
    // REST: the override key names the end user; the token URL: the end user's own JWT.
    const asUser = (user: string) => ({ "x-alloy-userid": user });
    const asEndUser = (user: string) => ({ "x-alloy-user-token": userJwts[user]! });
    const whoami = async (user: string) => {
      const res = await rpc(
        server.accessUrl,
        "tools/call",
        { name: `${fixtureId}__whoami`, arguments: {} },
        asEndUser(user),
      );
      return JSON.parse(res.body.result.content[0].text).token as string | null;
    };
    expect(await whoami("carol")).toBeNull();

    const created = await rpc(
      server.accessUrl,
      "tools/call",
      { name: "create_credential_alloy", arguments: { connectorId: fixtureId, value: "carol-upstream-token" } },
      asEndUser("carol"),
    );
    const credential = JSON.parse(created.body.result.content[0].text);
    expect(credential.credentialId).toMatch(/^cred_/);
    expect(JSON.stringify(credential)).not.toContain("carol-upstream-token");
    // Through REST, as another end user of the same account.
    const rested = await rest(
      "POST",
      `/api/connectors/${fixtureId}/credentials`,
      { value: "dave-upstream-token" },
      asUser("dave"),
    );
    expect(rested.status).toBe(201);

    expect(await whoami("carol")).toBe("carol-upstream-token");
    expect(await whoami("dave")).toBe("dave-upstream-token");
    const meta = await rpc(
      server.accessUrl,
      "tools/call",
      { name: "get_credential_metadata_alloy", arguments: { connectorId: fixtureId } },
      asEndUser("carol"),
    );
    expect(JSON.parse(meta.body.result.content[0].text)).toMatchObject({
      headerName: "x-upstream-token",
      hasCredential: true,
    });
    const listed = await rpc(
      server.accessUrl,
      "tools/call",
      { name: "get_credentials_alloy", arguments: {} },
      asEndUser("carol"),
    );
    expect(JSON.parse(listed.body.result.content[0].text).credentials).toHaveLength(1);

    expect((await rest("DELETE", `/api/servers/${server.serverId}`)).status).toBe(200);
    const kept = await rest("GET", `/api/connectors/${fixtureId}/credentials`, undefined, asUser("carol"));
    expect(kept.body.credentials.map((c: { credentialId: string }) => c.credentialId)).toEqual([
      credential.credentialId,
    ]);
  });
});

describe("upstream failures", () => {
  it("a slow upstream yields an MCP error result after the timeout, and the session keeps working", async () => {
    const server = await createServer({ name: "slow" });
    const client = await sdkClient(server.accessUrl);
    const started = Date.now();
    const slow = await client.callTool({ name: `${fixtureId}__slow`, arguments: {} });
    expect(slow.isError).toBe(true);
    expect(textOf(slow)).toMatch(/did not answer within 3000 ms|timed out/);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(textOf(await client.callTool({ name: `${everythingId}__echo`, arguments: { message: "still" } }))).toContain(
      "still",
    );
    const unknown = await client.callTool({ name: `${everythingId}__no-such-action`, arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/ACTION_NOT_FOUND/);
  });

  it("a dead upstream yields an MCP error result", async () => {
    const port = await freePort();
    const dead = await rest("POST", "/api/connectors", { name: "dead", url: `http://127.0.0.1:${port}/mcp` });
    const server = await createServer({ name: "dead" });
    // Never discovered, so not listed and not callable: the call names the missing action.
    const res = await rpc(server.accessUrl, "tools/call", {
      name: "execute_action_alloy",
      arguments: { connectorId: dead.body.connectorId, actionId: "anything" },
    });
    expect(res.body.result.isError).toBe(true);
    await rest("DELETE", `/api/connectors/${dead.body.connectorId}`);
  });
});

describe("token rotation and deletion", () => {
  it("keeps a rotated-out token for its grace period, then answers 401", async () => {
    const server = await createServer({ name: "rotate" });
    const rotated = await rest("POST", `/api/servers/${server.serverId}/token`, { graceSeconds: 3 });
    expect((await rpc(server.accessUrl, "ping")).status).toBe(200);
    expect((await rpc(rotated.body.accessUrl, "ping")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500));
    const old = await rpc(server.accessUrl, "ping");
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe("UNAUTHORIZED");
    expect((await rpc(rotated.body.accessUrl, "ping")).status).toBe(200);
  });

  it("closes open sessions and streams at once when the server is deleted; the next request is 401", async () => {
    const server = await createServer({ name: "doomed" });
    const client = await sdkClient(server.accessUrl);
    await client.listTools();
    // A second session opened by hand, so that this test holds its SSE stream (GET) itself.
    const init = await rpc(server.accessUrl, "initialize", initParams());
    const sessionId = init.headers.get("mcp-session-id")!;
    expect(sessionId).toBeTruthy();
    const stream = await fetch(server.accessUrl, {
      headers: { accept: "text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();

    expect((await rest("DELETE", `/api/servers/${server.serverId}`)).status).toBe(200);
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return "closed";
      })().catch(() => "closed"),
      new Promise((r) => setTimeout(() => r("still open"), 5_000)),
    ]);
    expect(ended).toBe("closed");

    const next = await fetch(server.accessUrl, {
      method: "POST",
      headers: { ...ACCEPT, "mcp-session-id": sessionId },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(next.status).toBe(401);
    expect((await next.json()).error.code).toBe("UNAUTHORIZED");
    await expect(client.listTools()).rejects.toThrow();
  });

  it("DELETE with the session id ends a session", async () => {
    const server = await createServer({ name: "ending" });
    const client = await sdkClient(server.accessUrl);
    const transport = client.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const after = await fetch(server.accessUrl, {
      method: "POST",
      headers: { ...ACCEPT, "mcp-session-id": sessionId },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(after.status).toBe(404);
  });
});
