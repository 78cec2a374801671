// The contract check itself: it must reject what the document does not describe, or the suites' green
// would prove nothing about openapi.json.
import { describe, expect, it } from "vitest";
import { assertMatchesContract } from "@/test/openapi-contract";

const json = (status: number, body: unknown, extra: Record<string, string> = {}) => ({
  status,
  headers: new Headers({ "content-type": "application/json", "x-request-id": "r1", ...extra }),
  text: JSON.stringify(body),
});

const server = {
  serverId: "production-server-a1b2c3d4",
  name: "Production Server",
  description: "",
  customInstructions: "",
  mode: "connectivity",
  isPublic: false,
  url: "http://switchboard.test/mcp/production-server-a1b2c3d4",
  restrictions: {},
  hasRestrictions: false,
  tokenExpiresAt: "2027-02-26T09:30:00.000Z",
  tokenHint: "abcd",
  liveTokens: [],
  createdAt: "2026-11-28T09:30:00.000Z",
  updatedAt: "2026-11-28T09:30:00.000Z",
};

const check = (method: string, url: string, response: ReturnType<typeof json>) => () =>
  assertMatchesContract({ method, url, ...response });

describe("assertMatchesContract", () => {
  it("accepts documented answers", () => {
    expect(check("GET", "/api/servers/production-server-a1b2c3d4", json(200, server))).not.toThrow();
    expect(
      check("DELETE", "/api/servers/x-a1b2c3d4", json(200, { message: "Server deleted", serverId: "x-a1b2c3d4" })),
    ).not.toThrow();
    expect(
      check("DELETE", "/api/servers/x-a1b2c3d4?dryRun=true", json(404, { error: { code: "NOT_FOUND", message: "x" } })),
    ).not.toThrow();
    // An unknown method of a route is Next's 405, not an operation.
    expect(check("PATCH", "/api/servers", { status: 405, headers: new Headers(), text: "" })).not.toThrow();
  });

  it("rejects a body with a field missing, a field added, or a wrong type", () => {
    const { tokenHint: _, ...missing } = server;
    expect(check("GET", "/api/servers/x-a1b2c3d4", json(200, missing))).toThrow(/tokenHint/);
    expect(check("GET", "/api/servers/x-a1b2c3d4", json(200, { ...server, secret: "x" }))).toThrow(
      /additional properties {"additionalProperty":"secret"}/,
    );
    expect(check("GET", "/api/servers/x-a1b2c3d4", json(200, { ...server, createdAt: "yesterday" }))).toThrow(
      /createdAt/,
    );
    expect(check("GET", "/api/servers/x-a1b2c3d4", json(200, { ...server, isPublic: "no" }))).toThrow(/isPublic/);
  });

  it("rejects an error envelope with a code the status does not document", () => {
    expect(check("GET", "/api/servers", json(401, { error: { code: "FORBIDDEN", message: "x" } }))).toThrow(/code/);
    expect(check("GET", "/api/servers", json(401, { error: { message: "x" } }))).toThrow(/code/);
  });

  it("rejects an undocumented status, an undocumented operation and a non-JSON answer", () => {
    expect(check("GET", "/api/servers", json(409, { error: { code: "CONFLICT", message: "x" } }))).toThrow(
      /does not document status 409/,
    );
    expect(check("GET", "/api/nothing", json(200, {}))).toThrow(/no operation/);
    expect(
      check("GET", "/api/servers/x-a1b2c3d4", {
        status: 200,
        headers: new Headers({ "content-type": "text/html", "x-request-id": "r1" }),
        text: "<html>",
      }),
    ).toThrow(/content-type/);
  });

  it("rejects an answer without a documented header", () => {
    expect(
      check("GET", "/api/servers/x-a1b2c3d4", {
        status: 200,
        headers: new Headers({ "content-type": "application/json" }),
        text: JSON.stringify(server),
      }),
    ).toThrow(/x-request-id/);
  });

  it("checks the connector routes too, and refuses a connector answer that carries a secret", () => {
    const connector = {
      connectorId: "github-1a2b3c4d",
      name: "GitHub",
      transport: "http",
      url: "https://mcp.example.com/mcp",
      headerNames: ["authorization"],
      stdioCommand: null,
      credentialHeader: null,
      actionCount: 0,
      health: { status: "unknown", lastCheckedAt: null, lastError: null },
      createdAt: "2026-11-28T09:30:00.000Z",
      updatedAt: "2026-11-28T09:30:00.000Z",
      actions: [],
    };
    expect(check("GET", "/api/connectors/github-1a2b3c4d", json(200, connector))).not.toThrow();
    expect(
      check("GET", "/api/connectors/github-1a2b3c4d", json(200, { ...connector, headers: { authorization: "x" } })),
    ).toThrow(/additional properties {"additionalProperty":"headers"}/);
    // stdio arguments are secrets like header values (issue #12): an answer with them is not the contract.
    expect(
      check("GET", "/api/connectors/github-1a2b3c4d", json(200, { ...connector, args: ["--token", "x"] })),
    ).toThrow(/additional properties {"additionalProperty":"args"}/);
    expect(
      check(
        "POST",
        "/api/connectors/github-1a2b3c4d/credentials",
        json(201, {
          credentialId: "cred_0123456789abcdef0123456789abcdef",
          connectorId: "github-1a2b3c4d",
          name: "n",
          createdAt: "2026-11-28T09:30:00.000Z",
          value: "secret",
        }),
      ),
    ).toThrow(/value/);
    expect(
      check("GET", "/api/connectors/github-1a2b3c4d", json(404, { error: { code: "NOT_FOUND", message: "x" } })),
    ).toThrow(/code/);
  });
});
