// The MCP endpoint's race windows, made deterministic: a hook in the endpoint's database calls deletes
// the server (or fails) at the exact point a real race would, so each case runs the same way on PGlite
// (which serializes transactions) and on PostgreSQL. test/concurrency/mcp-endpoint.concurrency.test.ts
// races real traffic; these pin down the windows it found.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import type * as McpService from "@/server/services/mcp";
import { db } from "@/server/db";
import { openSessionCount } from "@/server/mcp/sessions";
import { createTenant } from "@/test/factories";
import { expectError, expectNoInternals } from "@/test/assertions";
import { initializeParams, mcpCall, rpc } from "@/test/mcp-route-client";
import { bearer, call } from "@/test/route-client";

/** Runs once, at the named point, then clears itself. */
const hooks: { afterBind?: () => Promise<void>; afterSessionRecord?: () => Promise<void>; restrictions?: () => void } =
  {};

vi.mock("@/server/services/mcp", async (importOriginal) => {
  const original = await importOriginal<typeof McpService>();
  const take = <K extends keyof typeof hooks>(name: K) => {
    const hook = hooks[name];
    delete hooks[name];
    return hook;
  };
  return {
    ...original,
    bindUser: async (...args: Parameters<typeof original.bindUser>) => {
      await original.bindUser(...args);
      await take("afterBind")?.();
    },
    openSessionRecord: async (...args: Parameters<typeof original.openSessionRecord>) => {
      const opened = await original.openSessionRecord(...args);
      await take("afterSessionRecord")?.();
      return opened;
    },
    restrictionsOf: async (...args: Parameters<typeof original.restrictionsOf>) => {
      take("restrictions")?.();
      return original.restrictionsOf(...args);
    },
  };
});

let key: string;
let stderr: MockInstance<typeof process.stderr.write>;

beforeAll(async () => {
  key = (await createTenant()).key;
  stderr = vi.spyOn(process.stderr, "write");
});
afterAll(() => stderr.mockRestore());
beforeEach(() => {
  for (const name of Object.keys(hooks)) delete hooks[name as keyof typeof hooks];
});

async function createServer(name: string) {
  const res = await call("POST", "/api/servers", { headers: bearer(key), body: { name } });
  expect(res.status).toBe(201);
  const accessUrl = res.body.accessUrl as string;
  return { serverId: res.body.serverId as string, accessUrl, apiUrl: accessUrl.replace(/\/[^/]+$/, "") };
}

const deleteServer = (serverId: string) => async () => {
  const res = await call("DELETE", `/api/servers/${serverId}`, { headers: bearer(key) });
  expect(res.status).toBe(200);
};

describe("initialize racing the server's delete", () => {
  it("by the token URL: deleted after the access check, before the session exists → 401 envelope", async () => {
    const server = await createServer("deleted before the session");
    hooks.afterBind = deleteServer(server.serverId);
    const res = await mcpCall("POST", server.accessUrl, { body: rpc("initialize", initializeParams) });
    expectNoInternals(res.text);
    expectError(res, 401, "UNAUTHORIZED");
    expect(res.body.error.message).toBe("Invalid access token");
    expect(res.headers.get("mcp-session-id")).toBeNull();
    expect(await db().mcpSession.count({ where: { serverId: server.serverId } })).toBe(0);
    expect(openSessionCount(server.serverId)).toBe(0);
  });

  it("by the API URL: the same window answers 404 like a deleted server", async () => {
    const server = await createServer("deleted before the API session");
    hooks.afterBind = deleteServer(server.serverId);
    const res = await mcpCall("POST", server.apiUrl, {
      headers: bearer(key),
      body: rpc("initialize", initializeParams),
    });
    expectNoInternals(res.text);
    expectError(res, 404, "NOT_FOUND");
    expect(res.body.error.message).toBe("Server not found");
  });

  it("deleted after the session row was written, before the session is registered → no session left open", async () => {
    const server = await createServer("deleted before registration");
    hooks.afterSessionRecord = deleteServer(server.serverId);
    const res = await mcpCall("POST", server.accessUrl, { body: rpc("initialize", initializeParams) });
    expectNoInternals(res.text);
    expect([200, 401]).toContain(res.status);
    // Whatever the client heard, the session is not kept open for a server that no longer exists.
    expect(openSessionCount(server.serverId)).toBe(0);
    expect(await db().mcpSession.count({ where: { serverId: server.serverId } })).toBe(0);
    const sessionId = res.headers.get("mcp-session-id");
    if (sessionId) {
      const next = await mcpCall("POST", server.accessUrl, {
        headers: { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
        body: rpc("tools/list"),
      });
      expectError(next, 401, "UNAUTHORIZED");
    }
  });
});

describe("an unexpected failure inside a protocol request", () => {
  it("answers a JSON-RPC internal error that says nothing of the cause, and logs the cause", async () => {
    const server = await createServer("failing listing");
    const init = await mcpCall("POST", server.accessUrl, { body: rpc("initialize", initializeParams) });
    const sessionId = init.headers.get("mcp-session-id")!;
    const requestId = "req-failing-listing";
    // The access check reads the restrictions first; the listing's own read is the second one.
    let reads = 0;
    const failSecondRead = () => {
      reads += 1;
      if (reads === 1) hooks.restrictions = failSecondRead;
      else
        throw new Error("Invalid `db().mcpServer.findUnique()` invocation in /work/main/server/services/mcp.ts:64:25");
    };
    hooks.restrictions = failSecondRead;
    const res = await mcpCall("POST", server.accessUrl, {
      headers: { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18", "x-request-id": requestId },
      body: rpc("tools/list"),
    });
    expect(res.status).toBe(200);
    expectNoInternals(res.text);
    expect(res.body).toMatchObject({
      jsonrpc: "2.0",
      error: { code: -32603, message: "Something went wrong on our side" },
    });
    const logged = stderr.mock.calls.map(([chunk]) => String(chunk)).filter((l) => l.includes("invocation in"));
    expect(logged.length).toBeGreaterThan(0);
  });
});
