// The OpenAPI 3.1 document of the REST API, generated from the zod schemas the route handlers parse with
// (lib/schemas/server.ts, params.ts) and the response schemas the services' return types come from
// (server-responses.ts, error.ts). Served at GET /api/openapi.json, rendered at /docs/api, committed as
// openapi.json (`npm run openapi`), and used by the contract tests to check every answer the suites get.
import { z } from "zod";
import {
  createDocument,
  type CreateDocumentOptions,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import {
  conflictErrorSchema,
  errorEnvelopeSchema,
  forbiddenErrorSchema,
  internalErrorSchema,
  invalidRequestErrorSchema,
  notFoundErrorSchema,
  rateLimitedErrorSchema,
  unauthorizedErrorSchema,
  type ErrorCode,
  type ErrorDetails,
} from "@/lib/schemas/error";
import { serverParamsSchema } from "@/lib/schemas/params";
import {
  createServerSchema,
  deleteServerQuerySchema,
  listServersQuerySchema,
  MAX_USER_ID_LENGTH,
  rotateTokenSchema,
  updateServerSchema,
} from "@/lib/schemas/server";
import {
  deleteServerDryRunSchema,
  deleteServerResultSchema,
  serverListSchema,
  serverSchema,
  serverWithTokenSchema,
  type DeleteServerDryRun,
  type DeleteServerResult,
  type Server,
  type ServerList,
  type ServerWithToken,
} from "@/lib/schemas/server-responses";

const TAG = "Server Management";
const JSON_TYPE = "application/json";
// Either credential works on every route (API.md section 2): listed as alternatives.
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { userTokenAuth: [] }];

// ---------------------------------------------------------------------------------------------------
// Examples. Typed by the response schemas, and checked against the document by a test, so they stay true.

const exampleServer: Server = {
  serverId: "production-server-a1b2c3d4",
  name: "Production Server",
  description: "Tools for the support bot",
  customInstructions: "",
  mode: "connectivity",
  isPublic: false,
  url: "http://localhost:3000/mcp/production-server-a1b2c3d4",
  restrictions: {
    connectors: { mode: "allowlist", allowedIds: ["slack", "github"], blockedIds: [] },
    actions: { mode: "blocklist", allowedActions: [], blockedActions: ["slack:delete_message"] },
  },
  hasRestrictions: true,
  tokenExpiresAt: "2027-02-26T09:30:00.000Z",
  tokenHint: "XAmP",
  createdAt: "2026-11-28T09:30:00.000Z",
  updatedAt: "2026-11-28T09:30:00.000Z",
};

const exampleAccessToken = "sbt_Q2hhbmdlIG1lIG5vdyB0aGlzIGlzIGFuIGV4YW1wbGU";

const exampleServerWithToken: ServerWithToken = {
  ...exampleServer,
  tokenHint: exampleAccessToken.slice(-4),
  accessToken: exampleAccessToken,
  accessUrl: `${exampleServer.url}/${exampleAccessToken}`,
};

const exampleList: ServerList = { servers: [exampleServer], count: 1, limit: 50, offset: 0, hasMore: false };

const exampleDeleted: DeleteServerResult = { message: "Server deleted", serverId: exampleServer.serverId };

const exampleDryRun: DeleteServerDryRun = {
  dryRun: true,
  serverId: exampleServer.serverId,
  name: exampleServer.name,
  impact: { accessTokens: 1, restrictions: 2, restrictionValues: 3, sessions: 0, toolCalls: 12, userBindings: 0 },
};

const example = (summary: string, value: unknown) => ({ summary, value });
const errorExample = (summary: string, code: ErrorCode, message: string, details?: ErrorDetails) =>
  example(summary, { error: { code, message, ...(details ? { details } : {}) } });

// ---------------------------------------------------------------------------------------------------
// Parameters, headers and responses shared by the operations.

const identityHeaders = z.object({
  "x-alloy-userid": z
    .string()
    .max(MAX_USER_ID_LENGTH)
    .optional()
    .meta({
      description:
        "User ID (optional with API key): the end user the call acts as. Defaults to the credential's user; another value needs an API key created with `--can-act-as-any-user` (else 403). A JWT caller cannot override its user",
      examples: ["user-42"],
    }),
});

const requestIdHeader = z
  .string()
  .meta({ description: "The request's id: the `x-request-id` sent, else a new UUID. Also in the server's log" });

const responseHeaders = z.object({ "x-request-id": requestIdHeader });

const rateLimitHeaders = z.object({
  "x-request-id": requestIdHeader,
  "Retry-After": z.string().meta({ description: "Seconds until the next request is allowed", examples: ["42"] }),
  "RateLimit-Limit": z.string().meta({ description: "Requests allowed per window", examples: ["100"] }),
  "RateLimit-Remaining": z.string().meta({ description: "Requests left in the window", examples: ["0"] }),
  "RateLimit-Reset": z.string().meta({ description: "Seconds until the window resets", examples: ["42"] }),
});

type Examples = Record<string, { summary: string; value: unknown }>;

function jsonResponse(description: string, schema: z.ZodType, examples: Examples): ZodOpenApiResponseObject {
  return { description, headers: responseHeaders, content: { [JSON_TYPE]: { schema, examples } } };
}

// The answers that are the same on every operation where they occur: components, referenced by id.
const unauthorized: ZodOpenApiResponseObject = {
  id: "Unauthorized",
  ...jsonResponse("Unauthorized", unauthorizedErrorSchema, {
    missing: errorExample(
      "No credential",
      "UNAUTHORIZED",
      "Missing credentials: send Authorization: Bearer <API key or JWT>",
    ),
    invalid: errorExample("Unknown API key", "UNAUTHORIZED", "Invalid API key"),
  }),
};

const serverNotFound: ZodOpenApiResponseObject = {
  id: "ServerNotFound",
  ...jsonResponse("Server not found", notFoundErrorSchema, {
    notFound: errorExample(
      "No such server in the caller's account (another account's server answers the same)",
      "NOT_FOUND",
      "Server not found",
    ),
  }),
};

const nameConflict: ZodOpenApiResponseObject = {
  id: "NameConflict",
  ...jsonResponse("Conflict: the owner already has a server of that name (case-insensitive)", conflictErrorSchema, {
    nameTaken: errorExample("Name taken", "CONFLICT", 'A server named "Production Server" already exists', {
      field: "name",
    }),
  }),
};

const payloadTooLarge: ZodOpenApiResponseObject = {
  id: "PayloadTooLarge",
  ...jsonResponse("Request body over 10 MB", invalidRequestErrorSchema, {
    tooLarge: errorExample("Body too large", "INVALID_REQUEST", "Request body must be at most 10485760 bytes"),
  }),
};

const rateLimited: ZodOpenApiResponseObject = {
  id: "RateLimited",
  description: "Too many requests for this credential (default 100 a minute)",
  headers: rateLimitHeaders,
  content: {
    [JSON_TYPE]: {
      schema: rateLimitedErrorSchema,
      examples: {
        rateLimited: errorExample(
          "Budget spent",
          "RATE_LIMITED",
          "Too many requests: slow down and retry after the time in Retry-After",
        ),
      },
    },
  },
};

const internalError: ZodOpenApiResponseObject = {
  id: "InternalError",
  ...jsonResponse("Internal error", internalErrorSchema, {
    internal: errorExample("Unexpected failure", "INTERNAL_ERROR", "Something went wrong on our side"),
  }),
};

const invalidRequest = (
  examples: Examples,
  description = "Invalid request: `details.issues` names each failed check",
) => jsonResponse(description, invalidRequestErrorSchema, examples);

const forbidden = (examples: Examples = {}) =>
  jsonResponse("Forbidden: the credential may not act as this user or on this server", forbiddenErrorSchema, {
    actAsUser: errorExample(
      "x-alloy-userid sent by a key without that permission",
      "FORBIDDEN",
      "This API key may not act as another user (x-alloy-userid)",
    ),
    ...examples,
  });

const otherUsersServer = {
  otherUser: errorExample(
    "A server of another end user of the same account",
    "FORBIDDEN",
    "This server belongs to another user of the account",
  ),
};

const userIdTooLong = errorExample(
  "x-alloy-userid over 10,000 characters",
  "INVALID_REQUEST",
  "x-alloy-userid must be at most 10000 characters",
  { field: "x-alloy-userid" },
);

const bodyExamples: Examples = {
  invalidField: errorExample("A field fails its check", "INVALID_REQUEST", "Invalid request body", {
    issues: [{ path: "name", message: "Name is required" }],
  }),
  unknownField: errorExample("An unknown field", "INVALID_REQUEST", "Invalid request body", {
    issues: [{ path: "(root)", fields: ["colour"], message: 'Unrecognized key: "colour"' }],
  }),
  notJson: errorExample("The body is not JSON", "INVALID_REQUEST", "Request body is not valid JSON"),
  userIdTooLong,
};

const jsonBody = (schema: z.ZodType, examples: Examples, required = true) => ({
  required,
  content: { [JSON_TYPE]: { schema, examples } },
});

// ---------------------------------------------------------------------------------------------------
// Operations (API.md sections 1 and 3).

const createServer: ZodOpenApiOperationObject = {
  operationId: "create-server",
  tags: [TAG],
  summary: "Create server",
  description:
    "Creates a server owned by the caller's end user and mints its access token. `accessToken` and `accessUrl` are in this answer only: the token is stored hashed.",
  security,
  requestParams: { header: identityHeaders },
  requestBody: jsonBody(createServerSchema, {
    minimal: example("Name only", { name: "Production Server" }),
    full: example("With restrictions", {
      name: "Support Bot",
      description: "Tools for the support bot",
      isPublic: false,
      tokenExpiresInDays: 30,
      restrictions: {
        connectors: { mode: "allowlist", allowedIds: ["slack", "github"] },
        actions: { mode: "blocklist", blockedActions: ["slack:delete_message"] },
      },
    }),
  }),
  responses: {
    201: jsonResponse("Server created, with its access token (shown once)", serverWithTokenSchema, {
      created: example("Created", exampleServerWithToken),
    }),
    400: invalidRequest(bodyExamples),
    401: unauthorized,
    403: forbidden(),
    409: nameConflict,
    413: payloadTooLarge,
    429: rateLimited,
    500: internalError,
  },
};

const listServers: ZodOpenApiOperationObject = {
  operationId: "list-servers",
  tags: [TAG],
  summary: "List servers",
  description: "The caller's servers, newest first, one page at a time.",
  security,
  requestParams: { query: listServersQuerySchema, header: identityHeaders },
  responses: {
    200: jsonResponse("One page of servers", serverListSchema, { page: example("A page", exampleList) }),
    400: invalidRequest({
      badQuery: errorExample("limit out of range", "INVALID_REQUEST", "Invalid request query", {
        issues: [{ path: "limit", message: "Must be at most 1000" }],
      }),
      userIdTooLong,
    }),
    401: unauthorized,
    403: forbidden(),
    429: rateLimited,
    500: internalError,
  },
};

const getServer: ZodOpenApiOperationObject = {
  operationId: "get-server",
  tags: [TAG],
  summary: "Get server",
  description: "One server. Its access token is not returned (only `tokenHint`): rotate to get a new one.",
  security,
  requestParams: { path: serverParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("The server", serverSchema, { server: example("A server", exampleServer) }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    401: unauthorized,
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    429: rateLimited,
    500: internalError,
  },
};

const updateServer: ZodOpenApiOperationObject = {
  operationId: "update-server",
  tags: [TAG],
  summary: "Update server",
  description:
    "Changes any of `name`, `description`, `customInstructions`, `isPublic`, `restrictions`; omitted fields keep their value, and `restrictions` is replaced whole.",
  security,
  requestParams: { path: serverParamsSchema, header: identityHeaders },
  requestBody: jsonBody(updateServerSchema, {
    description: example("New description", { description: "v2" }),
    restrictions: example("Replace the restrictions", {
      restrictions: { users: { mode: "blocklist", blockedIds: ["user-13"] } },
    }),
  }),
  responses: {
    200: jsonResponse("The updated server", serverSchema, { updated: example("Updated", exampleServer) }),
    400: invalidRequest(bodyExamples),
    401: unauthorized,
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    409: nameConflict,
    413: payloadTooLarge,
    429: rateLimited,
    500: internalError,
  },
};

const deleteServer: ZodOpenApiOperationObject = {
  operationId: "delete-server",
  tags: [TAG],
  summary: "Delete server",
  // The seed operation's own words (Alloy's document); the dry run is described on its parameter.
  description: "Permanently deletes a server and all associated data",
  security,
  requestParams: { path: serverParamsSchema, query: deleteServerQuerySchema, header: identityHeaders },
  responses: {
    200: jsonResponse(
      "Server deleted successfully (with `dryRun=true`: nothing deleted, the impact previewed)",
      z.union([deleteServerResultSchema, deleteServerDryRunSchema]),
      {
        deleted: example("Deleted", exampleDeleted),
        dryRun: example("dryRun=true: what would be removed", exampleDryRun),
      },
    ),
    400: invalidRequest(
      {
        badDryRun: errorExample("dryRun is neither true nor false", "INVALID_REQUEST", "Invalid request query", {
          issues: [{ path: "dryRun", message: "Must be true or false" }],
        }),
        userIdTooLong,
      },
      "Invalid request",
    ),
    401: unauthorized,
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    429: rateLimited,
    500: internalError,
  },
};

const rotateServerToken: ZodOpenApiOperationObject = {
  operationId: "rotate-server-token",
  tags: [TAG],
  summary: "Rotate server token",
  description:
    "Mints a new access token (shown once) and revokes the current one, or keeps it valid for `graceSeconds`. Beyond Alloy.",
  security,
  requestParams: { path: serverParamsSchema, header: identityHeaders },
  requestBody: jsonBody(
    rotateTokenSchema,
    {
      now: example("Revoke the old token now", {}),
      grace: example("Keep the old token valid for an hour", { graceSeconds: 3600, tokenExpiresInDays: 30 }),
    },
    false,
  ),
  responses: {
    200: jsonResponse("The server with its new access token (shown once)", serverWithTokenSchema, {
      rotated: example("Rotated", exampleServerWithToken),
    }),
    400: invalidRequest(bodyExamples),
    401: unauthorized,
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    413: payloadTooLarge,
    429: rateLimited,
    500: internalError,
  },
};

// ---------------------------------------------------------------------------------------------------

/**
 * zod renders a nullable string that has a format or pattern as `anyOf: [{ type: "string", … }, { type: "null" }]`.
 * Valid, but Scalar's document validator rejects it; `type: ["string", "null"]` with the same keywords means
 * the same (format and pattern apply to strings only) and every tool reads it.
 */
const flattenNullable: CreateDocumentOptions["override"] = ({ jsonSchema }) => {
  const branches = jsonSchema.anyOf;
  if (branches?.length !== 2) return;
  const [value, nullBranch] = branches as [Record<string, unknown>, Record<string, unknown>];
  if (nullBranch.type !== "null" || Object.keys(nullBranch).length !== 1) return;
  if (typeof value.type !== "string" || "$ref" in value) return;
  delete jsonSchema.anyOf;
  Object.assign(jsonSchema, { ...value, ...jsonSchema, type: [value.type, "null"] });
};

export function createOpenApiDocument() {
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Switchboard MCP Server API",
        version: "2.0",
        description: [
          "Create and manage MCP servers: tokenized MCP endpoints that expose a restricted set of integration tools to AI assistants.",
          "",
          'Wire-compatible with the Alloy "MCP Server API" v2.0: a client written for it works here by changing only the base URL and the credential. Marked "Beyond Alloy": token rotation and the delete dry run.',
          "",
          "**Authentication**: `Authorization: Bearer <API key or JWT>`, or `x-alloy-user-token: <JWT>`. `x-alloy-userid` selects the end user where the credential allows it.",
          "",
          '**Errors**: every error is `{ "error": { "code", "message", "details"? } }` with `application/json`.',
        ].join("\n"),
      },
      // Relative: the API is wherever this document is served from, so "try it" calls the same instance.
      servers: [{ url: "/", description: "This Switchboard instance" }],
      security,
      tags: [{ name: TAG, description: "Create and manage MCP servers" }],
      paths: {
        "/api/servers": { post: createServer, get: listServers },
        "/api/servers/{serverId}": { get: getServer, put: updateServer, delete: deleteServer },
        "/api/servers/{serverId}/token": { post: rotateServerToken },
      },
      components: {
        // Every other schema becomes a component through its `id` where an operation uses it; this one
        // is used by none (each status narrows the code) but lists every error code.
        schemas: { ErrorEnvelope: errorEnvelopeSchema },
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "JWT or API Key",
            description:
              "Use either a Switchboard API key (`sbk_…`, created with the CLI) or a JWT (HS256, header `kid` = one of the account's signing keys, claim `userId` or `sub`, `exp` required)",
          },
          userTokenAuth: {
            type: "apiKey",
            in: "header",
            name: "x-alloy-user-token",
            description: "A JWT as above, sent in `x-alloy-user-token` instead of `Authorization`",
          },
        },
      },
    },
    { override: flattenNullable },
  );
}

export type OpenApiDocument = ReturnType<typeof createOpenApiDocument>;

/** The document as served and committed: 2-space JSON with a trailing newline. */
export function openApiJson(): string {
  return `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`;
}
