// The OpenAPI document: the committed openapi.json is what the code generates, every operation of docs/api.md
// is fully described, and every example in it is valid against its own schema.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiJson } from "@/lib/openapi/document";
import { schemaValidator } from "@/test/openapi-contract";

const root = path.resolve(import.meta.dirname, "../..");
const generated = openApiJson();
const document = JSON.parse(generated);

type Json = Record<string, any>;

const resolve = (node: Json): Json => {
  if (typeof node.$ref !== "string") return node;
  const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(node.$ref) ?? [];
  return document.components[section!][name!];
};

const SERVERS = "Server Management";
const CONNECTORS = "Connectors";
const CREDENTIALS = "Credentials";
const CONNECTOR = "/api/connectors/{connectorId}";

// docs/api.md sections 1, 3 and 6: method, path, operationId, tag, and the statuses each one can answer.
const operations = [
  ["post", "/api/servers", "create-server", SERVERS, [201, 400, 401, 403, 409, 413, 429, 500]],
  ["get", "/api/servers", "list-servers", SERVERS, [200, 400, 401, 403, 429, 500]],
  ["get", "/api/servers/{serverId}", "get-server", SERVERS, [200, 400, 401, 403, 404, 429, 500]],
  ["put", "/api/servers/{serverId}", "update-server", SERVERS, [200, 400, 401, 403, 404, 409, 413, 429, 500]],
  ["delete", "/api/servers/{serverId}", "delete-server", SERVERS, [200, 400, 401, 403, 404, 429, 500]],
  ["post", "/api/servers/{serverId}/token", "rotate-server-token", SERVERS, [200, 400, 401, 403, 404, 413, 429, 500]],
  ["delete", "/api/servers/{serverId}/token", "revoke-server-tokens", SERVERS, [200, 400, 401, 403, 404, 429, 500]],
  ["post", "/api/connectors", "create-connector", CONNECTORS, [201, 400, 401, 403, 413, 429, 500]],
  ["get", "/api/connectors", "list-connectors", CONNECTORS, [200, 400, 401, 403, 429, 500]],
  ["get", CONNECTOR, "get-connector", CONNECTORS, [200, 400, 401, 403, 404, 429, 500]],
  ["delete", CONNECTOR, "delete-connector", CONNECTORS, [200, 400, 401, 403, 404, 429, 500]],
  ["post", `${CONNECTOR}/refresh`, "refresh-connector", CONNECTORS, [200, 400, 401, 403, 404, 429, 500]],
  ["get", `${CONNECTOR}/credentials`, "list-credentials", CREDENTIALS, [200, 400, 401, 403, 404, 429, 500]],
  ["post", `${CONNECTOR}/credentials`, "create-credential", CREDENTIALS, [201, 400, 401, 403, 404, 413, 429, 500]],
  [
    "delete",
    `${CONNECTOR}/credentials/{credentialId}`,
    "delete-credential",
    CREDENTIALS,
    [200, 400, 401, 403, 429, 500],
  ],
] as const;

// The dashboard's own routes: session cookie only (sign-up: no credential), no x-alloy-userid parameter.
const ACCOUNT = "Account";
const dashboardOperations = [
  ["get", "/api/api-keys", "list-api-keys", [200, 400, 401, 403, 429, 500]],
  ["post", "/api/api-keys", "create-api-key", [201, 400, 401, 403, 413, 429, 500]],
  ["delete", "/api/api-keys/{id}", "revoke-api-key", [200, 400, 401, 403, 404, 429, 500]],
  ["get", "/api/jwt-keys", "list-jwt-keys", [200, 400, 401, 403, 429, 500]],
  ["post", "/api/jwt-keys", "create-jwt-key", [201, 400, 401, 403, 429, 500]],
  ["delete", "/api/jwt-keys/{id}", "revoke-jwt-key", [200, 400, 401, 403, 404, 429, 500]],
  ["get", "/api/members", "list-members", [200, 400, 401, 403, 429, 500]],
  ["post", "/api/members", "add-member", [201, 400, 401, 403, 409, 413, 429, 500]],
  ["delete", "/api/members/{id}", "remove-member", [200, 400, 401, 403, 404, 429, 500]],
  ["get", "/api/audit", "list-audit-events", [200, 400, 401, 403, 429, 500]],
  ["post", "/api/signup", "sign-up", [201, 400, 403, 409, 413, 429, 500]],
] as const;

// The POST operations that take no body.
const WITHOUT_BODY: readonly string[] = ["refresh-connector", "create-jwt-key"];

/** Every response of the operation has a description, x-request-id, a JSON schema and examples valid against it. */
function checkResponses(operationId: string, operation: Json, statuses: readonly number[]) {
  expect(Object.keys(operation.responses).map(Number).sort()).toEqual([...statuses].sort());
  for (const status of statuses) {
    const response = resolve(operation.responses[status]);
    expect(response.description, `${status} description`).toEqual(expect.any(String));
    expect(response.headers?.["x-request-id"], `${status} x-request-id`).toBeDefined();
    const media = response.content?.["application/json"];
    expect(media?.schema, `${status} schema`).toBeDefined();
    expect(Object.keys(media.examples ?? {}).length, `${status} examples`).toBeGreaterThan(0);
    const validate = schemaValidator(`${operationId} ${status}`, media.schema);
    for (const [name, { value }] of Object.entries(media.examples as Json)) {
      expect(validate(value), `${operationId} ${status} example "${name}": ${JSON.stringify(validate.errors)}`).toBe(
        true,
      );
    }
  }
}

describe("openapi.json", () => {
  it("is committed exactly as the code generates it", () => {
    const committed = readFileSync(path.join(root, "openapi.json"), "utf8");
    // Not toBe(): a 3,000-line diff helps nobody; the fix is one command.
    if (committed !== generated) {
      expect.fail(
        "openapi.json is stale: it differs from what lib/openapi/document.ts generates. Run `npm run openapi` and commit openapi.json.",
      );
    }
  });

  it("is OpenAPI 3.1 with the bearerAuth scheme", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.bearerAuth).toEqual({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT or API Key",
      description: expect.any(String),
    });
  });

  it("has exactly the operations of docs/api.md", () => {
    const listed = Object.entries(document.paths as Json).flatMap(([p, item]) =>
      Object.keys(item as Json).map((method) => `${method} ${p}`),
    );
    expect(listed.sort()).toEqual(
      [...operations, ...dashboardOperations].map(([method, p]) => `${method} ${p}`).sort(),
    );
  });

  describe.each(operations)("%s %s", (method, p, operationId, tag, statuses) => {
    const operation = document.paths[p][method];

    it(`is ${operationId}, tagged, secured by bearerAuth, with described parameters`, () => {
      expect(operation.operationId).toBe(operationId);
      expect(operation.tags).toEqual([tag]);
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.description).toEqual(expect.any(String));
      expect(operation.security).toContainEqual({ bearerAuth: [] });
      const names = (operation.parameters as Json[]).map((param) => `${param.in} ${param.name}`);
      expect(names).toContain("header x-alloy-userid");
      for (const [, name] of p.matchAll(/\{(\w+)\}/g)) expect(names).toContain(`path ${name}`);
      for (const param of operation.parameters as Json[]) {
        expect(param.description, `${param.name} has a description`).toEqual(expect.any(String));
        expect(param.schema, `${param.name} has a schema`).toBeTypeOf("object");
      }
    });

    it("has a request body schema with examples where it takes a body", () => {
      if (method === "get" || method === "delete" || WITHOUT_BODY.includes(operationId)) {
        expect(operation.requestBody).toBeUndefined();
        return;
      }
      const media = operation.requestBody.content["application/json"];
      expect(media.schema.$ref).toMatch(/^#\/components\/schemas\/\w+Request$/);
      expect(Object.keys(media.examples).length).toBeGreaterThan(0);
    });

    it(`documents ${statuses.join(", ")}, each with a JSON schema and examples`, () => {
      expect(Object.keys(operation.responses).map(Number).sort()).toEqual([...statuses].sort());
      for (const status of statuses) {
        const response = resolve(operation.responses[status]);
        expect(response.description, `${status} description`).toEqual(expect.any(String));
        expect(response.headers?.["x-request-id"], `${status} x-request-id`).toBeDefined();
        const media = response.content?.["application/json"];
        expect(media?.schema, `${status} schema`).toBeDefined();
        expect(Object.keys(media.examples ?? {}).length, `${status} examples`).toBeGreaterThan(0);
      }
    });

    it("has examples that match their own schemas", () => {
      const media: [string, Json][] = Object.entries(operation.responses as Json).map(([status, response]) => [
        `${operationId} ${status}`,
        resolve(response as Json).content["application/json"],
      ]);
      if (operation.requestBody)
        media.push([`${operationId} request`, operation.requestBody.content["application/json"]]);
      for (const [key, { schema, examples }] of media) {
        const validate = schemaValidator(key, schema);
        for (const [name, { value }] of Object.entries(examples as Json)) {
          expect(validate(value), `${key} example "${name}": ${JSON.stringify(validate.errors)}`).toBe(true);
        }
      }
    });
  });

  describe.each(dashboardOperations)("%s %s", (method, p, operationId, statuses) => {
    const operation = document.paths[p][method];

    it(`is ${operationId}, tagged ${ACCOUNT}, secured by the session cookie (sign-up: by nothing)`, () => {
      expect(operation.operationId).toBe(operationId);
      expect(operation.tags).toEqual([ACCOUNT]);
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.description).toEqual(expect.any(String));
      expect(operation.security).toEqual(operationId === "sign-up" ? [] : [{ sessionCookie: [] }]);
      const names = ((operation.parameters ?? []) as Json[]).map((param) => `${param.in} ${param.name}`);
      for (const [, name] of p.matchAll(/\{(\w+)\}/g)) expect(names).toContain(`path ${name}`);
    });

    it("has a request body schema with examples where it takes a body", () => {
      if (method === "get" || method === "delete" || WITHOUT_BODY.includes(operationId)) {
        expect(operation.requestBody).toBeUndefined();
        return;
      }
      const media = operation.requestBody.content["application/json"];
      expect(media.schema.$ref).toMatch(/^#\/components\/schemas\/\w+Request$/);
      expect(Object.keys(media.examples).length).toBeGreaterThan(0);
      const validate = schemaValidator(`${operationId} request`, media.schema);
      for (const [name, { value }] of Object.entries(media.examples as Json)) {
        expect(validate(value), `${operationId} request example "${name}"`).toBe(true);
      }
    });

    it(`documents ${statuses.join(", ")}, each with a JSON schema and examples that match it`, () => {
      checkResponses(operationId, operation, statuses);
    });
  });

  it("has the sessionCookie scheme: the next-auth session cookie", () => {
    expect(document.components.securitySchemes.sessionCookie).toEqual({
      type: "apiKey",
      in: "cookie",
      name: "next-auth.session-token",
      description: expect.any(String),
    });
  });

  it("has no secret value in an example", () => {
    // Placeholders only: a real-looking API key, password or signing secret would be copied and used.
    const examples = JSON.stringify(
      Object.values(document.paths as Json).flatMap((item) =>
        Object.values(item as Json).map((op) => [(op as Json).requestBody, (op as Json).responses]),
      ),
    );
    expect(examples).not.toMatch(/sbk_[A-Za-z0-9_-]{20,}/);
    expect(examples).not.toMatch(/"password":"(?!<)/);
  });

  it("has schema-level examples that match their schemas", () => {
    const checked: string[] = [];
    for (const [name, schema] of Object.entries(document.components.schemas as Json)) {
      for (const [i, value] of ((schema as Json).examples ?? []).entries()) {
        const validate = schemaValidator(`component ${name}`, schema as Json);
        expect(validate(value), `${name} example ${i}: ${JSON.stringify(validate.errors)}`).toBe(true);
        checked.push(name);
      }
    }
    expect(checked).toContain("Restrictions");
  });
});
