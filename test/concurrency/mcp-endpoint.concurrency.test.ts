// A server deleted while AI assistants are using it (issue #4 point 4, docs/api.md sections 3 and 6): DELETE
// /api/servers/{id} races tool calls in open sessions, stateless tool calls, new sessions, listings by the
// API URL, SSE streams and session ends, through the real route handlers, upstream and database. On
// PostgreSQL the requests really run in parallel; on PGlite one transaction at a time, interleaved.
//
// Properties: no 5xx ever; every refusal is the REST envelope (before the protocol) or a JSON-RPC error
// (an unknown session); the delete wins (200) and takes every row of the server with it; no row written
// by a call that was still running points at the deleted server (no orphan in any table); no session of
// the deleted server is left open in memory; afterwards the token URL and every old session answer 401.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { openSessionCount } from "@/server/mcp/sessions";
import { expectNoInternals } from "@/test/assertions";
import { createTenant } from "@/test/factories";
import { initializeParams, mcpCall, rpc } from "@/test/mcp-route-client";
import { bearer, call, type ApiResponse } from "@/test/route-client";
import { startFixture, type Fixture } from "@/test/upstream-fixture";
import {
  expectNoOrphans,
  expectStatuses,
  noRows,
  perServerCounts,
  startRaceKit,
  stopRaceKit,
  type Labelled,
} from "@/test/concurrency/race-kit";

const ROUNDS = 4;
const OPEN_SESSIONS = 4;
const TIMEOUT_MS = 120_000;
const PROTOCOL = { "mcp-protocol-version": "2025-06-18" };

let auth: Record<string, string>;
let fixture: Fixture;
let connectorId: string;

beforeAll(async () => {
  await startRaceKit();
  const tenant = await createTenant();
  auth = bearer(tenant.key);
  fixture = await startFixture();
  const created = await call("POST", "/api/connectors", {
    headers: auth,
    body: { name: "Race upstream", url: fixture.url },
  });
  expect(created.status, created.text).toBe(201);
  connectorId = created.body.connectorId as string;
});

afterAll(async () => {
  stopRaceKit();
  await fixture?.close();
});

type Server = { serverId: string; accessUrl: string; apiUrl: string };

async function createServer(name: string): Promise<Server> {
  const res = await call("POST", "/api/servers", { headers: auth, body: { name } });
  expect(res.status, res.text).toBe(201);
  const accessUrl = res.body.accessUrl as string;
  return { serverId: res.body.serverId, accessUrl, apiUrl: accessUrl.replace(/\/[^/]+$/, "") };
}

/** Opens a Streamable HTTP session the way the SDK client does: initialize, then `initialized`. */
async function openSession(server: Server): Promise<string> {
  const init = await mcpCall("POST", server.accessUrl, { body: rpc("initialize", initializeParams) });
  expect(init.status, init.text).toBe(200);
  const sessionId = init.headers.get("mcp-session-id")!;
  expect(sessionId).toBeTruthy();
  const initialized = await mcpCall("POST", server.accessUrl, {
    headers: { "mcp-session-id": sessionId, ...PROTOCOL },
    body: rpc("notifications/initialized", {}, true),
  });
  expect(initialized.status).toBe(202);
  return sessionId;
}

/** A GET SSE stream of a session: resolves when the stream ends (it must end when the server goes). */
async function streamUntilClosed(server: Server, sessionId: string): Promise<ApiResponse> {
  return mcpCall("GET", server.accessUrl, { headers: { "mcp-session-id": sessionId, ...PROTOCOL } });
}

const whoami = () => rpc("tools/call", { name: `${connectorId}__whoami`, arguments: {} });

/** A JSON-RPC answer (result or error): what the protocol says once a request got past the checks. */
const isJsonRpc = (res: ApiResponse) =>
  typeof res.body === "object" && res.body !== null && (res.body as { jsonrpc?: unknown }).jsonrpc === "2.0";

describe("DELETE racing MCP traffic", () => {
  describe.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))("round %i", (round) => {
    it(
      "no 5xx, the delete wins, no orphan row, no session left open, the old token and sessions then 401",
      async () => {
        const server = await createServer(`MCP race ${round}`);
        const sessions: string[] = [];
        for (let i = 0; i < OPEN_SESSIONS; i++) sessions.push(await openSession(server));
        // Rows in the per-server tables before the race (a tool call, a binding, sessions).
        const warm = await mcpCall("POST", server.accessUrl, { body: whoami() });
        expect(warm.status, warm.text).toBe(200);

        type Op = { label: string; run: () => Promise<ApiResponse>; allowed: number[] };
        const ops: Op[] = [];
        for (let i = 0; i < 8; i++) {
          const sessionId = sessions[i % sessions.length]!;
          ops.push({
            label: `session tools/call #${i}`,
            run: () =>
              mcpCall("POST", server.accessUrl, {
                headers: { "mcp-session-id": sessionId, ...PROTOCOL },
                body: whoami(),
              }),
            // 200 (answered, or the stream ended by the delete), 401 (token gone), 404 (session gone).
            allowed: [200, 401, 404],
          });
          ops.push({
            label: `stateless tools/call #${i}`,
            run: () => mcpCall("POST", server.accessUrl, { body: whoami() }),
            allowed: [200, 401],
          });
        }
        for (let i = 0; i < 4; i++) {
          ops.push({
            label: `initialize #${i}`,
            run: () => mcpCall("POST", server.accessUrl, { body: rpc("initialize", initializeParams) }),
            allowed: [200, 401],
          });
          ops.push({
            label: `API URL tools/list #${i}`,
            run: () => mcpCall("POST", server.apiUrl, { headers: auth, body: rpc("tools/list") }),
            allowed: [200, 404],
          });
        }
        for (let i = 0; i < 2; i++) {
          ops.push({
            label: `SSE stream #${i}`,
            run: () => streamUntilClosed(server, sessions[i]!),
            allowed: [200, 401, 404],
          });
          ops.push({
            label: `session end #${i}`,
            run: () =>
              mcpCall("DELETE", server.accessUrl, { headers: { "mcp-session-id": sessions[2 + i]!, ...PROTOCOL } }),
            allowed: [200, 401, 404],
          });
        }
        const remove: Op = {
          label: "DELETE /api/servers/{id}",
          run: () => call("DELETE", `/api/servers/${server.serverId}`, { headers: auth }),
          allowed: [200],
        };
        ops.splice(((round - 1) * 11) % (ops.length + 1), 0, remove);

        const results: Labelled[] = await Promise.all(
          ops.map(async (op) => ({ label: op.label, res: await op.run() })),
        );
        const allowedFor = new Map(ops.map((op) => [op.label, op.allowed]));
        expectStatuses(results, (label) => allowedFor.get(label)!, isJsonRpc);

        // An answered tool call is a JSON-RPC result or error, never a broken body; no answer says how
        // the product is built.
        for (const { label, res } of results) {
          expectNoInternals(res.text, label);
          if (res.status === 200 && label.includes("tools/call") && res.text) {
            expect.soft(isJsonRpc(res), `${label}: ${res.text.slice(0, 200)}`).toBe(true);
          }
        }

        expect(await db().mcpServer.count({ where: { id: server.serverId } })).toBe(0);
        // Calls still running when the delete committed finish afterwards; what they record must not stay.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect.soft(await perServerCounts(server.serverId), "rows of the deleted server").toEqual(noRows());
        await expectNoOrphans();
        expect.soft(openSessionCount(server.serverId), "sessions of the deleted server still open").toBe(0);

        // Afterwards: the token URL and every session of the server answer 401 with the envelope.
        const after = await mcpCall("POST", server.accessUrl, { body: rpc("tools/list") });
        expect(after.status).toBe(401);
        expect(after.body).toEqual({ error: { code: "UNAUTHORIZED", message: "Invalid access token" } });
        for (const sessionId of sessions) {
          const res = await mcpCall("POST", server.accessUrl, {
            headers: { "mcp-session-id": sessionId, ...PROTOCOL },
            body: rpc("tools/list"),
          });
          expect(res.status).toBe(401);
        }
      },
      TIMEOUT_MS,
    );
  });

  it(
    "a slow upstream call in flight: the session's stream ends at the delete, and the late usage row does not stay",
    async () => {
      const server = await createServer("Slow race");
      const sessionId = await openSession(server);
      const slow = () => rpc("tools/call", { name: `${connectorId}__slow`, arguments: {} });
      const started = performance.now();
      const inSession = mcpCall("POST", server.accessUrl, {
        headers: { "mcp-session-id": sessionId, ...PROTOCOL },
        body: slow(),
      }).then((res) => ({ res, ms: performance.now() - started }));
      const stateless = mcpCall("POST", server.accessUrl, { body: slow() });
      // Both calls have reached the upstream (the fixture answers after 10 s).
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const deleted = await call("DELETE", `/api/servers/${server.serverId}`, { headers: auth });
      expect(deleted.status).toBe(200);
      const { res: sessionAnswer, ms } = await inSession;
      // The session was closed by the delete: its stream ended long before the upstream answered.
      expect(sessionAnswer.status).toBe(200);
      expect(ms).toBeLessThan(8_000);
      expect(openSessionCount(server.serverId)).toBe(0);

      // The stateless call runs to its end and answers; the usage row it tries to write has no server.
      const statelessAnswer = await stateless;
      expect(statelessAnswer.status, statelessAnswer.text).toBe(200);
      expect(isJsonRpc(statelessAnswer)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await perServerCounts(server.serverId)).toEqual(noRows());
      await expectNoOrphans();
    },
    TIMEOUT_MS,
  );
});
