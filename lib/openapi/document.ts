// The OpenAPI 3.1 document of the REST API, generated from the zod schemas the route handlers parse with
// (lib/schemas/server.ts, params.ts, connector.ts) and the response schemas the services' return types come
// from (server-responses.ts, connector-responses.ts, error.ts). Served at GET /api/openapi.json, rendered at /docs/api, committed as
// openapi.json (`npm run openapi`), and used by the contract tests to check every answer the suites get.
import { z } from "zod";
import {
  createDocument,
  type CreateDocumentOptions,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import {
  connectorParamsSchema,
  createConnectorSchema,
  createCredentialSchema,
  credentialParamsSchema,
} from "@/lib/schemas/connector";
import {
  connectorListSchema,
  connectorWithActionsSchema,
  credentialListSchema,
  credentialSchema,
  deleteConnectorResultSchema,
  deleteCredentialResultSchema,
  type Connector,
  type ConnectorList,
  type ConnectorWithActions,
  type Credential,
  type CredentialList,
  type DeleteConnectorResult,
  type DeleteCredentialResult,
} from "@/lib/schemas/connector-responses";
import {
  conflictErrorSchema,
  connectorNotFoundErrorSchema,
  credentialRequestErrorSchema,
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
  auditQuerySchema,
  createApiKeySchema,
  createMemberSchema,
  idParamsSchema,
  signUpSchema,
} from "@/lib/schemas/account";
import {
  apiKeyListSchema,
  apiKeySchema,
  apiKeyWithSecretSchema,
  auditPageSchema,
  createdJwtKeySchema,
  jwtKeyListSchema,
  memberListSchema,
  removedMemberSchema,
  memberSchema,
  revokedJwtKeySchema,
  signUpResultSchema,
  type ApiKey,
  type ApiKeyList,
  type ApiKeyWithSecret,
  type AuditPage,
  type CreatedJwtKey,
  type JwtKeyList,
  type Member,
  type MemberList,
  type RevokedJwtKey,
  type SignUpResult,
} from "@/lib/schemas/account-responses";
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
const CONNECTORS_TAG = "Connectors";
const CREDENTIALS_TAG = "Credentials";
const ACCOUNT_TAG = "Account";
const JSON_TYPE = "application/json";
// Either credential works on every route (docs/api.md section 2): listed as alternatives. The dashboard's session
// cookie works on these routes too (its changes only from this site's own pages).
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { userTokenAuth: [] }, { sessionCookie: [] }];

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
  liveTokens: [{ tokenHint: "XAmP", expiresAt: "2027-02-26T09:30:00.000Z", graceUntil: null }],
  createdAt: "2026-11-28T09:30:00.000Z",
  updatedAt: "2026-11-28T09:30:00.000Z",
};

const exampleAccessToken = "sbt_Q2hhbmdlIG1lIG5vdyB0aGlzIGlzIGFuIGV4YW1wbGU";

const exampleServerWithToken: ServerWithToken = {
  ...exampleServer,
  tokenHint: exampleAccessToken.slice(-4),
  liveTokens: [{ tokenHint: exampleAccessToken.slice(-4), expiresAt: "2027-02-26T09:30:00.000Z", graceUntil: null }],
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
  "RateLimit-Reset": z
    .string()
    .meta({ description: "Seconds until the whole budget is available again (sliding window)", examples: ["42"] }),
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
    sessionExpired: errorExample(
      "A dashboard session cookie that expired or is not valid",
      "UNAUTHORIZED",
      "Session expired or invalid: sign in again",
    ),
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

/** What every operation behind a credential may answer besides its own outcomes (docs/api.md sections 2, 4, 5). */
const credentialedErrors = { 401: unauthorized, 429: rateLimited, 500: internalError } as const;

const invalidRequest = (
  examples: Examples,
  description = "Invalid request: `details.issues` names each failed check",
) => jsonResponse(description, invalidRequestErrorSchema, examples);

const forbidden = (examples: Examples = {}) =>
  jsonResponse(
    "Forbidden: the credential may not act as this user or on this server, or a session-cookie change came from another site",
    forbiddenErrorSchema,
    {
      actAsUser: errorExample(
        "x-alloy-userid sent by a key without that permission",
        "FORBIDDEN",
        "This API key may not act as another user (x-alloy-userid)",
      ),
      crossOrigin: errorExample(
        "A change with the dashboard's session cookie sent from another site (Origin, else Referer, not this site's)",
        "FORBIDDEN",
        "Cross-origin request refused: cookie-authenticated changes must come from this site",
      ),
      ...examples,
    },
  );

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
// Operations (docs/api.md sections 1 and 3).

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
    403: forbidden(),
    409: nameConflict,
    413: payloadTooLarge,
    ...credentialedErrors,
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
    403: forbidden(),
    ...credentialedErrors,
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
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    ...credentialedErrors,
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
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    409: nameConflict,
    413: payloadTooLarge,
    ...credentialedErrors,
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
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    ...credentialedErrors,
  },
};

const rotateServerToken: ZodOpenApiOperationObject = {
  operationId: "rotate-server-token",
  tags: [TAG],
  summary: "Rotate server token",
  description:
    "Mints a new access token (shown once) and revokes the current one, or keeps it valid for `graceSeconds`. Without a grace period every live token is revoked, those still in an earlier rotation's grace period too. Beyond Alloy.",
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
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    413: payloadTooLarge,
    ...credentialedErrors,
  },
};

const revokeServerTokens: ZodOpenApiOperationObject = {
  operationId: "revoke-server-tokens",
  tags: [TAG],
  summary: "Revoke every token of a server",
  description:
    "Revokes every live access token of the server, those in a rotation's grace period too: its token URLs answer 401 until the next rotation. Beyond Alloy (issue #12, docs/decisions/0007).",
  security,
  requestParams: { path: serverParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("The server, with no live token", serverSchema, {
      revoked: example("Revoked", { ...exampleServer, tokenHint: null, tokenExpiresAt: null, liveTokens: [] }),
    }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    403: forbidden(otherUsersServer),
    404: serverNotFound,
    ...credentialedErrors,
  },
};

// ---------------------------------------------------------------------------------------------------
// Connectors and credentials (docs/api.md section 6). No secret is ever in an answer, so none is in an example.

const exampleConnector: Connector = {
  connectorId: "github-1a2b3c4d",
  name: "GitHub",
  transport: "http",
  url: "https://mcp.example.com/mcp",
  headerNames: ["x-api-version"],
  stdioCommand: null,
  credentialHeader: "authorization",
  actionCount: 1,
  health: { status: "ok", lastCheckedAt: "2026-11-28T09:30:00.000Z", lastError: null },
  createdAt: "2026-11-28T09:30:00.000Z",
  updatedAt: "2026-11-28T09:30:00.000Z",
};

const exampleConnectorWithActions: ConnectorWithActions = {
  ...exampleConnector,
  actions: [
    {
      connectorId: exampleConnector.connectorId,
      actionId: "create_issue",
      title: "Create issue",
      description: "Opens an issue in a repository",
      inputSchema: {
        type: "object",
        properties: { repo: { type: "string" }, title: { type: "string" } },
        required: ["repo", "title"],
      },
    },
  ],
};

const exampleBrokenConnector: ConnectorWithActions = {
  ...exampleConnector,
  connectorId: "dead-upstream-5e6f7a8b",
  name: "Dead Upstream",
  url: "http://127.0.0.1:9/mcp",
  actionCount: 0,
  health: {
    status: "error",
    lastCheckedAt: "2026-11-28T09:30:00.000Z",
    lastError: "the connector could not be reached",
  },
  actions: [],
};

const exampleConnectorList: ConnectorList = { connectors: [exampleConnector], count: 1 };

const exampleConnectorDeleted: DeleteConnectorResult = {
  message: "Connector deleted",
  connectorId: exampleConnector.connectorId,
};

const exampleCredential: Credential = {
  credentialId: "cred_0123456789abcdef0123456789abcdef",
  connectorId: exampleConnector.connectorId,
  name: "GitHub credential",
  createdAt: "2026-11-28T09:30:00.000Z",
};

const exampleCredentialList: CredentialList = { credentials: [exampleCredential], count: 1 };

const exampleCredentialDeleted: DeleteCredentialResult = {
  message: "Credential deleted",
  credentialId: exampleCredential.credentialId,
};

const connectorNotFound: ZodOpenApiResponseObject = {
  id: "ConnectorNotFound",
  ...jsonResponse("Connector not found", connectorNotFoundErrorSchema, {
    notFound: errorExample(
      "No such connector in the caller's account (another account's connector, or an id that cannot exist, answers the same)",
      "CONNECTOR_NOT_FOUND",
      "Connector not found",
    ),
  }),
};

// Creating, refreshing and deleting connectors is the account owner's (issue #12, docs/decisions/0008).
const ownerOnlyExample: Examples = {
  ownerOnly: errorExample(
    "An end user's JWT, a member's session, or a key acting as another end user",
    "FORBIDDEN",
    "Only the account owner may add, refresh or delete connectors",
  ),
};

const createConnectorOp: ZodOpenApiOperationObject = {
  operationId: "create-connector",
  tags: [CONNECTORS_TAG],
  summary: "Create connector",
  description:
    "Account owner only (the owner's dashboard session, or an API key of the owner not acting as another end user). Registers an upstream MCP server in the caller's account (Streamable HTTP `url`, or `stdioCommand`: the name of a command the operator lists in CONNECTORS_STDIO_COMMANDS) and discovers its actions right away. Every connection goes to a public address unless the operator's CONNECTOR_ALLOWED_HOSTS lets it through; answers and catalogs are bounded. A failing upstream does not fail the request: the connector is created with no actions and a fixed message (at most a status code, never the upstream's text) in `health`. Header values are stored encrypted and never returned.",
  security,
  requestParams: { header: identityHeaders },
  requestBody: jsonBody(createConnectorSchema, {
    http: example("Streamable HTTP with a per-user credential header", {
      name: "GitHub",
      url: "https://mcp.example.com/mcp",
      headers: { "x-api-version": "2026-01-01" },
      credentialHeader: "authorization",
      credentialPrefix: "Bearer ",
    }),
    stdio: example("stdio: a command of the operator's list, by name", {
      name: "Memory",
      stdioCommand: "memory",
    }),
  }),
  responses: {
    201: jsonResponse(
      "Connector created, with the actions discovered (or the discovery failure in `health`)",
      connectorWithActionsSchema,
      {
        created: example("Created and discovered", exampleConnectorWithActions),
        unreachable: example("Created; the upstream did not answer", exampleBrokenConnector),
      },
    ),
    400: invalidRequest({
      invalidUrl: errorExample("Not an http(s) URL", "INVALID_REQUEST", "Invalid request body", {
        issues: [{ path: "url", message: "Must be an http(s) URL" }],
      }),
      urlOrCommand: errorExample("Both or neither of url and stdioCommand", "INVALID_REQUEST", "Invalid request body", {
        issues: [{ path: "url", message: "Give exactly one of url (Streamable HTTP) or stdioCommand (stdio)" }],
      }),
      stdioNotListed: errorExample(
        "A stdio command the operator does not list",
        "INVALID_REQUEST",
        "Not a stdio command of this installation",
        {
          issues: [
            {
              path: "stdioCommand",
              message: "Must name one of the commands the operator lists in CONNECTORS_STDIO_COMMANDS",
            },
          ],
        },
      ),
      unknownField: errorExample("An unknown field", "INVALID_REQUEST", "Invalid request body", {
        issues: [{ path: "(root)", fields: ["command"], message: 'Unrecognized key: "command"' }],
      }),
      notJson: errorExample("The body is not JSON", "INVALID_REQUEST", "Request body is not valid JSON"),
      userIdTooLong,
    }),
    403: forbidden(ownerOnlyExample),
    413: payloadTooLarge,
    ...credentialedErrors,
  },
};

const listConnectorsOp: ZodOpenApiOperationObject = {
  operationId: "list-connectors",
  tags: [CONNECTORS_TAG],
  summary: "List connectors",
  description:
    "Every connector of the caller's account, oldest first, with its action count and health. The account owner also sees how each is reached (URL masked, header names, stdio command name); end users and members see ids, names, transport and health only.",
  security,
  requestParams: { header: identityHeaders },
  responses: {
    200: jsonResponse("The account's connectors", connectorListSchema, {
      list: example("One connector", exampleConnectorList),
    }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    403: forbidden(),
    ...credentialedErrors,
  },
};

const getConnectorOp: ZodOpenApiOperationObject = {
  operationId: "get-connector",
  tags: [CONNECTORS_TAG],
  summary: "Get connector",
  description:
    "One connector with its cached actions and health. Does not call the upstream: refresh does. Fields marked owner-only are left out for end users and members.",
  security,
  requestParams: { path: connectorParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("The connector", connectorWithActionsSchema, {
      connector: example("A connector", exampleConnectorWithActions),
    }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    403: forbidden(),
    404: connectorNotFound,
    ...credentialedErrors,
  },
};

const deleteConnectorOp: ZodOpenApiOperationObject = {
  operationId: "delete-connector",
  tags: [CONNECTORS_TAG],
  summary: "Delete connector",
  description:
    "Account owner only. Removes the connector with its cached actions and every end user's credentials for it.",
  security,
  requestParams: { path: connectorParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("Connector deleted", deleteConnectorResultSchema, {
      deleted: example("Deleted", exampleConnectorDeleted),
    }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    403: forbidden(ownerOnlyExample),
    404: connectorNotFound,
    ...credentialedErrors,
  },
};

const refreshConnectorOp: ZodOpenApiOperationObject = {
  operationId: "refresh-connector",
  tags: [CONNECTORS_TAG],
  summary: "Refresh connector",
  description:
    "Account owner only. Rediscovers the connector's actions now and replaces the cache. A failing upstream (or one over the catalog bounds) keeps the last good cache and records a fixed failure message in `health` instead of failing the request. Takes no body.",
  security,
  requestParams: { path: connectorParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("The connector after discovery", connectorWithActionsSchema, {
      refreshed: example("Discovered", exampleConnectorWithActions),
      unreachable: example("The upstream did not answer", exampleBrokenConnector),
    }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    403: forbidden(ownerOnlyExample),
    404: connectorNotFound,
    ...credentialedErrors,
  },
};

const credentialsDescription =
  "Credentials belong to the calling end user (the credential's user, or `x-alloy-userid`) and to the connector; their values are stored encrypted and never returned.";

const listCredentialsOp: ZodOpenApiOperationObject = {
  operationId: "list-credentials",
  tags: [CREDENTIALS_TAG],
  summary: "List credentials",
  description: `The calling end user's credentials for the connector, newest first. ${credentialsDescription}`,
  security,
  requestParams: { path: connectorParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("The end user's credentials for the connector", credentialListSchema, {
      list: example("One credential", exampleCredentialList),
    }),
    400: invalidRequest({ userIdTooLong }, "Invalid request"),
    403: forbidden(),
    404: connectorNotFound,
    ...credentialedErrors,
  },
};

const createCredentialOp: ZodOpenApiOperationObject = {
  operationId: "create-credential",
  tags: [CREDENTIALS_TAG],
  summary: "Create credential",
  description: `Stores a secret that the connector's credential header carries on this end user's calls (the newest one unless a call names another). ${credentialsDescription}`,
  security,
  requestParams: { path: connectorParamsSchema, header: identityHeaders },
  requestBody: jsonBody(createCredentialSchema, {
    valueOnly: example("Value only (named after the connector)", { value: "<the end user's token>" }),
    named: example("Named", { name: "Work account", value: "<the end user's token>" }),
  }),
  responses: {
    201: jsonResponse("Credential stored (its value is not returned)", credentialSchema, {
      created: example("Created", exampleCredential),
    }),
    400: invalidRequest({
      missingValue: errorExample("No value", "INVALID_REQUEST", "Invalid request body", {
        issues: [{ path: "value", message: "Invalid input: expected string, received undefined" }],
      }),
      unknownField: errorExample("An unknown field", "INVALID_REQUEST", "Invalid request body", {
        issues: [{ path: "(root)", fields: ["secret"], message: 'Unrecognized key: "secret"' }],
      }),
      notJson: errorExample("The body is not JSON", "INVALID_REQUEST", "Request body is not valid JSON"),
      userIdTooLong,
    }),
    403: forbidden(),
    404: connectorNotFound,
    413: payloadTooLarge,
    ...credentialedErrors,
  },
};

const deleteCredentialOp: ZodOpenApiOperationObject = {
  operationId: "delete-credential",
  tags: [CREDENTIALS_TAG],
  summary: "Delete credential",
  description: `Removes one of the calling end user's credentials. A credential that is not the caller's for this connector (or does not exist, or whose connector does not) answers 400 \`CREDENTIAL_NOT_FOUND\`, the code the MCP tools use for the same case. ${credentialsDescription}`,
  security,
  requestParams: { path: credentialParamsSchema, header: identityHeaders },
  responses: {
    200: jsonResponse("Credential deleted", deleteCredentialResultSchema, {
      deleted: example("Deleted", exampleCredentialDeleted),
    }),
    400: jsonResponse(
      "Invalid request, or no such credential of the calling end user for this connector",
      credentialRequestErrorSchema,
      {
        notFound: errorExample(
          "Not one of the caller's credentials for this connector",
          "CREDENTIAL_NOT_FOUND",
          "Credential not found",
        ),
        userIdTooLong,
      },
    ),
    403: forbidden(),
    ...credentialedErrors,
  },
};

// ---------------------------------------------------------------------------------------------------
// The dashboard's own routes: API keys, JWT signing keys, members and the audit log answer a signed-in
// dashboard user only (the next-auth session cookie; an API key or JWT gets 403), and sign-up answers
// anyone. Examples carry no secret: the one new API key shown is a placeholder.

const sessionSecurity: Record<string, string[]>[] = [{ sessionCookie: [] }];

const exampleApiKey: ApiKey = {
  id: "key_0123456789abcdef0123456789abcdef",
  name: "CI deploys",
  prefix: "sbk_Ab12",
  lastFour: "wXyZ",
  defaultUserId: "usr_0123456789abcdef0123456789abcdef",
  canActAsAnyUser: false,
  lastUsedAt: null,
  revokedAt: null,
  createdAt: "2026-11-28T09:30:00.000Z",
};
const exampleApiKeyList: ApiKeyList = { apiKeys: [exampleApiKey] };
const exampleApiKeyWithSecret: ApiKeyWithSecret = { ...exampleApiKey, key: "sbk_<the new key, shown once>" };
const exampleRevokedApiKey: ApiKey = { ...exampleApiKey, revokedAt: "2026-11-29T09:30:00.000Z" };
const exampleKid = "kid_0123456789abcdef01234567";
const exampleJwtKeyList: JwtKeyList = {
  jwtKeys: [{ kid: exampleKid, createdAt: "2026-11-28T09:30:00.000Z", revokedAt: null }],
};
const exampleCreatedJwtKey: CreatedJwtKey = { kid: exampleKid };
const exampleRevokedJwtKey: RevokedJwtKey = { kid: exampleKid, revoked: true };
const exampleMember: Member = {
  id: "usr_89abcdef0123456789abcdef01234567",
  email: "grace@example.com",
  name: "Grace",
  role: "MEMBER",
  createdAt: "2026-11-28T09:30:00.000Z",
};
const exampleMemberList: MemberList = {
  members: [
    {
      ...exampleMember,
      id: "usr_0123456789abcdef0123456789abcdef",
      email: "ada@example.com",
      name: "Ada",
      role: "OWNER",
    },
    exampleMember,
  ],
};
const exampleAuditPage: AuditPage = {
  events: [
    {
      id: "aud_0123456789abcdef0123456789abcdef",
      action: "server.updated",
      serverId: exampleServer.serverId,
      serverName: exampleServer.name,
      actorType: "session",
      actorId: "usr_0123456789abcdef0123456789abcdef",
      actorLabel: "ada@example.com",
      oldValues: { description: "v1" },
      newValues: { description: "v2" },
      createdAt: "2026-11-28T09:30:00.000Z",
    },
  ],
  count: 1,
  limit: 50,
  offset: 0,
  hasMore: false,
};
const exampleSignUp: SignUpResult = {
  accountId: "acc_0123456789abcdef0123456789abcdef",
  userId: "usr_0123456789abcdef0123456789abcdef",
};

const sessionUnauthorized: ZodOpenApiResponseObject = {
  id: "SessionUnauthorized",
  ...jsonResponse("Not signed in, or the session expired", unauthorizedErrorSchema, {
    missing: errorExample(
      "No session cookie",
      "UNAUTHORIZED",
      "Missing credentials: send Authorization: Bearer <API key or JWT>",
    ),
    expired: errorExample("Session expired or invalid", "UNAUTHORIZED", "Session expired or invalid: sign in again"),
  }),
};

/** The same for the dashboard's session-only operations, whose 401 is about the session. */
const sessionErrors = { 401: sessionUnauthorized, 429: rateLimited, 500: internalError } as const;

const sessionForbidden = (examples: Examples = {}) =>
  jsonResponse(
    "Forbidden: not a dashboard session, a cross-origin change, or a user the session may not act as",
    forbiddenErrorSchema,
    {
      notSession: errorExample(
        "An API key or JWT instead of the session cookie",
        "FORBIDDEN",
        "This operation is only available to a signed-in dashboard user",
      ),
      crossOrigin: errorExample(
        "A change sent from another site",
        "FORBIDDEN",
        "Cross-origin request refused: cookie-authenticated changes must come from this site",
      ),
      actAsUser: errorExample(
        "x-alloy-userid naming another user",
        "FORBIDDEN",
        "A dashboard session cannot act as another user (x-alloy-userid)",
      ),
      ...examples,
    },
  );

const keyIdParams = z.object({
  id: idParamsSchema.shape.id.meta({
    description: "API key ID (`key_…`, not the key itself)",
    examples: ["key_0123456789abcdef0123456789abcdef"],
  }),
});
const kidParams = z.object({
  id: idParamsSchema.shape.id.meta({ description: "Signing key ID (`kid_…`)", examples: [exampleKid] }),
});

const signUpBodyExamples: Examples = {
  badEmail: errorExample("Not an email", "INVALID_REQUEST", "Invalid request body", {
    issues: [{ path: "email", message: "Must be an email address" }],
  }),
  shortPassword: errorExample("Password too short", "INVALID_REQUEST", "Invalid request body", {
    issues: [{ path: "password", message: "Password must be at least 8 characters" }],
  }),
  notJson: errorExample("The body is not JSON", "INVALID_REQUEST", "Request body is not valid JSON"),
};

const emailTaken: ZodOpenApiResponseObject = {
  id: "EmailConflict",
  ...jsonResponse("Conflict: a user with that email already exists", conflictErrorSchema, {
    emailTaken: errorExample("Email taken", "CONFLICT", "A user with email ada@example.com already exists", {
      field: "email",
    }),
  }),
};

const sessionInvalid = invalidRequest({ userIdTooLong }, "Invalid request");

const listApiKeysOp: ZodOpenApiOperationObject = {
  operationId: "list-api-keys",
  tags: [ACCOUNT_TAG],
  summary: "List API keys",
  description:
    "The account's API keys, newest first, revoked ones included. Keys are never returned, only their prefix and last four characters.",
  security: sessionSecurity,
  responses: {
    200: jsonResponse("The account's API keys", apiKeyListSchema, { list: example("One key", exampleApiKeyList) }),
    400: sessionInvalid,
    403: sessionForbidden(),
    ...sessionErrors,
  },
};

const createApiKeyOp: ZodOpenApiOperationObject = {
  operationId: "create-api-key",
  tags: [ACCOUNT_TAG],
  summary: "Create API key",
  description:
    "Creates an API key that acts as the signed-in user. `key` is in this answer only: only its hash is stored.",
  security: sessionSecurity,
  requestBody: jsonBody(
    createApiKeySchema.meta({ id: "CreateApiKeyRequest", description: "Unknown fields are refused" }),
    {
      named: example("Named", { name: "CI deploys" }),
      actAsAny: example("May act as any end user", { name: "Backend", canActAsAnyUser: true }),
    },
  ),
  responses: {
    201: jsonResponse("API key created, with the key (shown once)", apiKeyWithSecretSchema, {
      created: example("Created", exampleApiKeyWithSecret),
    }),
    400: invalidRequest({
      missingName: errorExample("No name", "INVALID_REQUEST", "Invalid request body", {
        issues: [{ path: "name", message: "Name is required" }],
      }),
      notJson: errorExample("The body is not JSON", "INVALID_REQUEST", "Request body is not valid JSON"),
    }),
    403: sessionForbidden(),
    413: payloadTooLarge,
    ...sessionErrors,
  },
};

const revokeApiKeyOp: ZodOpenApiOperationObject = {
  operationId: "revoke-api-key",
  tags: [ACCOUNT_TAG],
  summary: "Revoke API key",
  description:
    "Revokes an API key of the account: it answers 401 from then on. The key's record stays, with `revokedAt`.",
  security: sessionSecurity,
  requestParams: { path: keyIdParams },
  responses: {
    200: jsonResponse("The revoked key", apiKeySchema, { revoked: example("Revoked", exampleRevokedApiKey) }),
    400: sessionInvalid,
    403: sessionForbidden(),
    404: jsonResponse("No such active API key in the account", notFoundErrorSchema, {
      notFound: errorExample("Unknown or already revoked", "NOT_FOUND", "API key not found or already revoked"),
    }),
    ...sessionErrors,
  },
};

const listJwtKeysOp: ZodOpenApiOperationObject = {
  operationId: "list-jwt-keys",
  tags: [ACCOUNT_TAG],
  summary: "List JWT signing keys",
  description:
    "The account's HS256 signing keys, newest first, revoked ones included. Their secrets are never returned.",
  security: sessionSecurity,
  responses: {
    200: jsonResponse("The account's signing keys", jwtKeyListSchema, { list: example("One key", exampleJwtKeyList) }),
    400: sessionInvalid,
    403: sessionForbidden(),
    ...sessionErrors,
  },
};

const createJwtKeyOp: ZodOpenApiOperationObject = {
  operationId: "create-jwt-key",
  tags: [ACCOUNT_TAG],
  summary: "Create JWT signing key",
  description:
    "Creates an HS256 signing key; JWTs whose `kid` header names it authenticate as the account's end users. Takes no body. The secret is kept encrypted and not returned.",
  security: sessionSecurity,
  responses: {
    201: jsonResponse("Signing key created", createdJwtKeySchema, {
      created: example("Created", exampleCreatedJwtKey),
    }),
    400: sessionInvalid,
    403: sessionForbidden(),
    ...sessionErrors,
  },
};

const revokeJwtKeyOp: ZodOpenApiOperationObject = {
  operationId: "revoke-jwt-key",
  tags: [ACCOUNT_TAG],
  summary: "Revoke JWT signing key",
  description: "Revokes a signing key: JWTs it signed answer 401 from then on.",
  security: sessionSecurity,
  requestParams: { path: kidParams },
  responses: {
    200: jsonResponse("Signing key revoked", revokedJwtKeySchema, {
      revoked: example("Revoked", exampleRevokedJwtKey),
    }),
    400: sessionInvalid,
    403: sessionForbidden(),
    404: jsonResponse("No such active signing key in the account", notFoundErrorSchema, {
      notFound: errorExample("Unknown or already revoked", "NOT_FOUND", "Signing key not found or already revoked"),
    }),
    ...sessionErrors,
  },
};

const listMembersOp: ZodOpenApiOperationObject = {
  operationId: "list-members",
  tags: [ACCOUNT_TAG],
  summary: "List members",
  description: "The account's dashboard users (owner and members), oldest first.",
  security: sessionSecurity,
  responses: {
    200: jsonResponse("The account's dashboard users", memberListSchema, {
      list: example("Owner and a member", exampleMemberList),
    }),
    400: sessionInvalid,
    403: sessionForbidden(),
    ...sessionErrors,
  },
};

const addMemberOp: ZodOpenApiOperationObject = {
  operationId: "add-member",
  tags: [ACCOUNT_TAG],
  summary: "Add member",
  description: "Adds a dashboard user with role MEMBER to the account. Only the account's owner may.",
  security: sessionSecurity,
  requestBody: jsonBody(
    createMemberSchema.meta({ id: "AddMemberRequest", description: "Unknown fields are refused" }),
    {
      member: example("A member", {
        email: "grace@example.com",
        password: "<a password of 8+ characters>",
        name: "Grace",
      }),
    },
  ),
  responses: {
    201: jsonResponse("Member added", memberSchema, { added: example("Added", exampleMember) }),
    400: invalidRequest(signUpBodyExamples),
    403: sessionForbidden({
      notOwner: errorExample("The signed-in user is a member", "FORBIDDEN", "Only the account owner can add members"),
    }),
    409: emailTaken,
    413: payloadTooLarge,
    ...sessionErrors,
  },
};

const removeMemberOp: ZodOpenApiOperationObject = {
  operationId: "remove-member",
  tags: [ACCOUNT_TAG],
  summary: "Remove member",
  description:
    "Removes a dashboard member of the account: their user, every session cookie of theirs (401 from the next request) and the API keys that act as them. Only the account's owner may, and the owner cannot be removed. Beyond Alloy (issue #12).",
  security: sessionSecurity,
  requestParams: {
    path: z.object({
      id: idParamsSchema.shape.id.meta({
        description: "The member's user ID",
        examples: ["usr_0123456789abcdef0123456789abcdef"],
      }),
    }),
  },
  responses: {
    200: jsonResponse("Member removed", removedMemberSchema, {
      removed: example("Removed", { message: "Member removed", id: "usr_0123456789abcdef0123456789abcdef" }),
    }),
    400: sessionInvalid,
    403: sessionForbidden({
      notOwner: errorExample(
        "The signed-in user is a member",
        "FORBIDDEN",
        "Only the account owner can remove members",
      ),
      owner: errorExample("The id is the owner's", "FORBIDDEN", "The account owner cannot be removed"),
    }),
    404: jsonResponse("No such member in the account", notFoundErrorSchema, {
      notFound: errorExample("Unknown, or of another account", "NOT_FOUND", "Member not found"),
    }),
    ...sessionErrors,
  },
};

const listAuditEventsOp: ZodOpenApiOperationObject = {
  operationId: "list-audit-events",
  tags: [ACCOUNT_TAG],
  summary: "List audit events",
  description:
    "The account's audit log, newest first, one page at a time: every creation, update, token rotation and deletion of a server, deleted servers included.",
  security: sessionSecurity,
  requestParams: { query: auditQuerySchema },
  responses: {
    200: jsonResponse("One page of audit events", auditPageSchema, { page: example("A page", exampleAuditPage) }),
    400: invalidRequest({
      badQuery: errorExample("limit out of range", "INVALID_REQUEST", "Invalid request query", {
        issues: [{ path: "limit", message: "Must be at most 200" }],
      }),
      userIdTooLong,
    }),
    403: sessionForbidden(),
    ...sessionErrors,
  },
};

const signUpOp: ZodOpenApiOperationObject = {
  operationId: "sign-up",
  tags: [ACCOUNT_TAG],
  summary: "Sign up",
  description:
    "Creates an account and its owner, as the dashboard's sign-up page does. Needs no credential; rate limited per client IP. `SIGNUP_ENABLED=false` turns it off (403).",
  security: [],
  requestBody: jsonBody(signUpSchema.meta({ id: "SignUpRequest", description: "Unknown fields are refused" }), {
    signUp: example("Sign up", { email: "ada@example.com", password: "<a password of 8+ characters>", name: "Ada" }),
  }),
  responses: {
    201: jsonResponse("Account and owner created", signUpResultSchema, { created: example("Created", exampleSignUp) }),
    400: invalidRequest(signUpBodyExamples),
    403: jsonResponse("Sign-up is disabled on this installation", forbiddenErrorSchema, {
      disabled: errorExample("SIGNUP_ENABLED=false", "FORBIDDEN", "Sign-up is disabled on this installation"),
    }),
    409: emailTaken,
    413: payloadTooLarge,
    429: {
      description: "Too many requests from this client IP",
      headers: rateLimited.headers,
      content: rateLimited.content,
    },
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
          "Connectors register the upstream MCP servers whose actions the MCP endpoint exposes; credentials are end users' secrets for them.",
          "",
          "**Authentication**: `Authorization: Bearer <API key or JWT>`, or `x-alloy-user-token: <JWT>`. `x-alloy-userid` selects the end user where the credential allows it.",
          "",
          '**Errors**: every error is `{ "error": { "code", "message", "details"? } }` with `application/json`.',
        ].join("\n"),
      },
      // Relative: the API is wherever this document is served from, so "try it" calls the same instance.
      servers: [{ url: "/", description: "This Switchboard instance" }],
      security,
      tags: [
        { name: TAG, description: "Create and manage MCP servers" },
        {
          name: CONNECTORS_TAG,
          description: "Register upstream MCP servers whose actions the MCP endpoint exposes, and check their health",
        },
        { name: CREDENTIALS_TAG, description: "End users' secrets for connectors (values never returned)" },
        {
          name: ACCOUNT_TAG,
          description:
            "The dashboard's account management: API keys, JWT signing keys, members and the audit log (signed-in dashboard users only, by session cookie), and sign-up",
        },
      ],
      paths: {
        "/api/servers": { post: createServer, get: listServers },
        "/api/servers/{serverId}": { get: getServer, put: updateServer, delete: deleteServer },
        "/api/servers/{serverId}/token": { post: rotateServerToken, delete: revokeServerTokens },
        "/api/connectors": { get: listConnectorsOp, post: createConnectorOp },
        "/api/connectors/{connectorId}": { get: getConnectorOp, delete: deleteConnectorOp },
        "/api/connectors/{connectorId}/refresh": { post: refreshConnectorOp },
        "/api/connectors/{connectorId}/credentials": { get: listCredentialsOp, post: createCredentialOp },
        "/api/connectors/{connectorId}/credentials/{credentialId}": { delete: deleteCredentialOp },
        "/api/api-keys": { get: listApiKeysOp, post: createApiKeyOp },
        "/api/api-keys/{id}": { delete: revokeApiKeyOp },
        "/api/jwt-keys": { get: listJwtKeysOp, post: createJwtKeyOp },
        "/api/jwt-keys/{id}": { delete: revokeJwtKeyOp },
        "/api/members": { get: listMembersOp, post: addMemberOp },
        "/api/members/{id}": { delete: removeMemberOp },
        "/api/audit": { get: listAuditEventsOp },
        "/api/signup": { post: signUpOp },
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
          sessionCookie: {
            type: "apiKey",
            in: "cookie",
            name: "next-auth.session-token",
            description:
              "The dashboard's sign-in session (next-auth). Named `__Secure-next-auth.session-token` when the site is served over HTTPS. Changes (POST, DELETE) must also come from this site (Origin or Referer), else 403",
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
