import "server-only";
// The tools a Switchboard server offers over MCP: Alloy's meta-tools (same names and purpose, so Alloy
// clients work unchanged) plus one tool per permitted upstream action, `<connectorId>__<actionId>`.
// Listing and calling share `permittedCatalog`, so a tool that is not listed cannot be called.
import {
  ProtocolError,
  ProtocolErrorCode,
  Server,
  SUPPORTED_PROTOCOL_VERSIONS,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/server";
import { ApiError } from "@/server/errors";
import { logger } from "@/server/logger";
import { actionRefusal, connectorRefusal, userRefusal, type Refusal } from "@/server/mcp/policy";
import { callUpstreamTool, UpstreamError } from "@/server/mcp/upstream";
import { actionToJson, catalogOf, upstreamTarget } from "@/server/services/connectors";
import { createCredential, credentialSecret, listCredentials } from "@/server/services/credentials";
import { recordToolCall, restrictionsOf, type McpServerInfo } from "@/server/services/mcp";

/**
 * `verifiedUser` false: `userId` is an unverified x-alloy-userid on a public server's token URL, a label for
 * the usage records that unlocks no stored credential and passes no users allowlist (issue #12 finding 4).
 */
export type ToolContext = { server: McpServerInfo; userId: string; verifiedUser: boolean; sessionId: string | null };

const SEPARATOR = "__";

const obj = (
  properties: NonNullable<Tool["inputSchema"]["properties"]>,
  required: string[] = [],
): Tool["inputSchema"] => ({
  type: "object",
  properties,
  ...(required.length ? { required } : {}),
});
const str = (description: string) => ({ type: "string", description });

const ALLOY_TOOLS: Tool[] = [
  {
    name: "list_connectors_alloy",
    description: "List the connectors (integrations) available on this server.",
    inputSchema: obj({}),
  },
  {
    name: "get_connector_resources_alloy",
    description: "List the actions a connector offers on this server.",
    inputSchema: obj({ connectorId: str("The connector's id") }, ["connectorId"]),
  },
  {
    name: "get_action_details_alloy",
    description: "Describe one action, including the JSON Schema of its parameters.",
    inputSchema: obj({ connectorId: str("The connector's id"), actionId: str("The action's id") }, [
      "connectorId",
      "actionId",
    ]),
  },
  {
    name: "execute_action_alloy",
    description: "Run an action of a connector with the given parameters, as the current end user.",
    inputSchema: obj(
      {
        connectorId: str("The connector's id"),
        actionId: str("The action's id"),
        parameters: { type: "object", description: "The action's parameters", additionalProperties: true },
        credentialId: str("Optional: which of the user's credentials to use (default: the newest)"),
      },
      ["connectorId", "actionId"],
    ),
  },
  {
    name: "get_credentials_alloy",
    description: "List the current end user's credentials (never their values), optionally for one connector.",
    inputSchema: obj({ connectorId: str("Optional connector id") }),
  },
  {
    name: "get_credential_metadata_alloy",
    description: "Tell what a connector needs as a credential and whether the current user has one.",
    inputSchema: obj({ connectorId: str("The connector's id") }, ["connectorId"]),
  },
  {
    name: "create_credential_alloy",
    description: "Store a credential (e.g. an API token) for the current end user and a connector.",
    inputSchema: obj({ connectorId: str("The connector's id"), value: str("The secret"), name: str("A label") }, [
      "connectorId",
      "value",
    ]),
  },
  {
    name: "discover_action_path_alloy",
    description: "Find the actions that best fit a goal described in plain words, best first.",
    inputSchema: obj({ query: str("What you want to achieve"), limit: { type: "number" } }, ["query"]),
  },
];
const ALLOY_NAMES = new Set(ALLOY_TOOLS.map((t) => t.name));

/** The account's connectors and actions, reduced to what this server's restrictions permit. */
async function permittedCatalog(ctx: ToolContext) {
  const restrictions = (await restrictionsOf(ctx.server.id)) ?? {};
  const catalog = await catalogOf(ctx.server.accountId);
  const permitted = catalog
    .filter((c) => !connectorRefusal(restrictions, c.id))
    .map((c) => ({ ...c, actions: c.actions.filter((a) => !actionRefusal(restrictions, c.id, a.actionId)) }));
  return { restrictions, catalog, permitted };
}

export async function listTools(ctx: ToolContext): Promise<Tool[]> {
  const { permitted } = await permittedCatalog(ctx);
  const actionTools: Tool[] = permitted.flatMap((c) =>
    c.actions.map((a) => ({
      name: `${c.id}${SEPARATOR}${a.actionId}`,
      ...(a.title ? { title: a.title } : {}),
      description: `[${c.name}] ${a.description}`.trim(),
      inputSchema: normaliseSchema(a.inputSchema),
    })),
  );
  return [...ALLOY_TOOLS, ...actionTools];
}

function normaliseSchema(schema: unknown): Tool["inputSchema"] {
  const s = schema && typeof schema === "object" ? (schema as Record<string, unknown>) : {};
  return { ...s, type: "object" };
}

const text = (value: unknown, isError = false): CallToolResult => ({
  content: [{ type: "text", text: typeof value === "string" ? value : JSON.stringify(value) }],
  ...(isError ? { isError: true } : {}),
});

/** A refusal or bad input is a tool result with isError (the model can read it), not a protocol error. */
class ToolFailure extends Error {
  constructor(
    message: string,
    readonly status: "error" | "refused" = "error",
    readonly code?: string,
  ) {
    super(message);
  }
}

const unverifiedCredentials = () =>
  new ToolFailure(
    "Stored credentials need a verified end user: send x-alloy-user-token (a JWT of the account)",
    "refused",
  );

const refused = (refusal: Refusal) =>
  new ToolFailure(`Refused by restriction "${refusal.restriction}": ${refusal.message}`, "refused");

function argString(args: Record<string, unknown>, name: string, required = true): string | undefined {
  const value = args[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value === "") throw new ToolFailure(`Argument "${name}" must be a non-empty string`);
  return value;
}

type Outcome = { result: CallToolResult; connectorId: string | null; actionId: string | null };

export async function callTool(ctx: ToolContext, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const started = performance.now();
  let connectorId: string | null = null;
  let actionId: string | null = null;
  let outcome: Outcome | undefined;
  let failure: ToolFailure | undefined;
  try {
    outcome = await dispatch(ctx, name, args, (c, a) => {
      connectorId = c;
      actionId = a;
    });
  } catch (error) {
    if (error instanceof ToolFailure) failure = error;
    else if (error instanceof ApiError) failure = new ToolFailure(error.message, "error", error.code);
    else if (error instanceof UpstreamError) failure = new ToolFailure(error.message);
    else failure = new ToolFailure("The tool failed unexpectedly");
  }
  const isError = failure !== undefined || outcome?.result.isError === true;
  await recordToolCall({
    serverId: ctx.server.id,
    sessionId: ctx.sessionId,
    userId: ctx.userId,
    connectorId,
    actionId,
    toolName: name.slice(0, 500),
    status: failure?.status ?? (isError ? "error" : "success"),
    durationMs: Math.round(performance.now() - started),
    error: failure?.message ?? (isError ? "the action reported an error" : null),
  });
  if (failure)
    return text(
      {
        error: {
          code: failure.code ?? (failure.status === "refused" ? "FORBIDDEN" : "TOOL_ERROR"),
          message: failure.message,
        },
      },
      true,
    );
  return outcome!.result;
}

async function dispatch(
  ctx: ToolContext,
  name: string,
  args: Record<string, unknown>,
  target: (connectorId: string, actionId: string | null) => void,
): Promise<Outcome> {
  const { restrictions, catalog, permitted } = await permittedCatalog(ctx);
  // The users restriction is enforced before the protocol; checked again for sessions opened before an edit.
  const user = userRefusal(restrictions, ctx.userId, ctx.verifiedUser);
  if (user) throw refused(user);
  const done = (value: unknown): Outcome => ({ result: text(value), connectorId: null, actionId: null });

  const findConnector = (connectorId: string) => {
    target(connectorId, null);
    const c = catalog.find((x) => x.id === connectorId);
    if (!c) throw new ToolFailure(`Connector "${connectorId}" not found`, "error", "CONNECTOR_NOT_FOUND");
    const refusal = connectorRefusal(restrictions, connectorId);
    if (refusal) throw refused(refusal);
    return c;
  };
  const findAction = (connectorId: string, actionId: string) => {
    const c = findConnector(connectorId);
    target(connectorId, actionId);
    const a = c.actions.find((x) => x.actionId === actionId);
    if (!a)
      throw new ToolFailure(
        `Action "${actionId}" not found on connector "${connectorId}"`,
        "error",
        "ACTION_NOT_FOUND",
      );
    const refusal = actionRefusal(restrictions, connectorId, actionId);
    if (refusal) throw refused(refusal);
    return { connector: c, action: a };
  };
  const execute = async (
    connectorId: string,
    actionId: string,
    params: Record<string, unknown>,
    credentialId?: string,
  ) => {
    const { connector } = findAction(connectorId, actionId);
    if (!ctx.verifiedUser && credentialId) throw unverifiedCredentials();
    const secret = ctx.verifiedUser
      ? await credentialSecret(ctx.server.accountId, ctx.userId, connectorId, credentialId)
      : undefined;
    const result = await callUpstreamTool(upstreamTarget(connector, secret), actionId, params);
    return { result, connectorId, actionId };
  };

  if (!ALLOY_NAMES.has(name)) {
    const at = name.indexOf(SEPARATOR);
    if (at <= 0) throw new ToolFailure(`Unknown tool "${name}"`, "error", "ACTION_NOT_FOUND");
    return execute(name.slice(0, at), name.slice(at + SEPARATOR.length), args);
  }

  switch (name) {
    case "list_connectors_alloy":
      return done({
        connectors: permitted.map((c) => ({
          connectorId: c.id,
          name: c.name,
          actionCount: c.actions.length,
          status: c.lastCheckedAt === null ? "unknown" : c.lastError ? "error" : "ok",
        })),
      });
    case "get_connector_resources_alloy": {
      const connectorId = argString(args, "connectorId")!;
      findConnector(connectorId);
      const c = permitted.find((x) => x.id === connectorId)!;
      return done({
        connectorId,
        actions: c.actions.map((a) => ({ actionId: a.actionId, title: a.title, description: a.description })),
      });
    }
    case "get_action_details_alloy": {
      const { action } = findAction(argString(args, "connectorId")!, argString(args, "actionId")!);
      return done({ ...actionToJson(action), toolName: `${action.connectorId}${SEPARATOR}${action.actionId}` });
    }
    case "execute_action_alloy": {
      const params = args.parameters ?? {};
      if (typeof params !== "object" || params === null || Array.isArray(params)) {
        throw new ToolFailure('Argument "parameters" must be an object');
      }
      return execute(
        argString(args, "connectorId")!,
        argString(args, "actionId")!,
        params as Record<string, unknown>,
        argString(args, "credentialId", false),
      );
    }
    case "get_credentials_alloy": {
      const connectorId = argString(args, "connectorId", false);
      if (connectorId) findConnector(connectorId);
      if (!ctx.verifiedUser) throw unverifiedCredentials();
      return done({ credentials: await listCredentials(ctx.server.accountId, ctx.userId, connectorId) });
    }
    case "get_credential_metadata_alloy": {
      const c = findConnector(argString(args, "connectorId")!);
      const credentials = ctx.verifiedUser ? await listCredentials(ctx.server.accountId, ctx.userId, c.id) : [];
      return done({
        connectorId: c.id,
        authType: c.credentialHeader ? "header" : "none",
        headerName: c.credentialHeader,
        required: c.credentialHeader !== null,
        hasCredential: credentials.length > 0,
      });
    }
    case "create_credential_alloy": {
      const c = findConnector(argString(args, "connectorId")!);
      if (!ctx.verifiedUser) throw unverifiedCredentials();
      const value = argString(args, "value")!;
      if (value.length > 10_000) throw new ToolFailure('Argument "value" must be at most 10000 characters');
      const name = argString(args, "name", false);
      return done(await createCredential(ctx.server.accountId, ctx.userId, c.id, { value, name: name?.slice(0, 100) }));
    }
    case "discover_action_path_alloy": {
      const query = argString(args, "query")!;
      const limit = typeof args.limit === "number" && args.limit > 0 ? Math.min(50, Math.floor(args.limit)) : 5;
      return done({ query, actions: rank(query, permitted).slice(0, limit) });
    }
  }
  throw new ToolFailure(`Unknown tool "${name}"`);
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1);

/** Ranks actions by how many of the goal's words their id, title and description share. */
function rank(query: string, permitted: Awaited<ReturnType<typeof permittedCatalog>>["permitted"]) {
  const goal = new Set(words(query));
  return permitted
    .flatMap((c) =>
      c.actions.map((a) => {
        const idWords = new Set(words(a.actionId.replace(/[-_]/g, " ")));
        const textWords = new Set(words(`${a.title} ${a.description} ${c.name}`));
        let score = 0;
        for (const w of goal) score += (idWords.has(w) ? 3 : 0) + (textWords.has(w) ? 1 : 0);
        return { connectorId: c.id, actionId: a.actionId, description: a.description, score };
      }),
    )
    .filter((r) => r.score > 0)
    .sort((x, y) => y.score - x.score || x.actionId.localeCompare(y.actionId));
}

/**
 * The SDK answers a handler's exception with its message, which for a database error names the ORM and
 * our source files: an unexpected failure is logged here and answered as a bare internal error.
 */
function guarded<A extends unknown[], R>(method: string, handler: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      logger.error("unhandled error", {
        method,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      // A plain Error with a code: the SDK sends its message as is (McpError would prefix "MCP error").
      throw Object.assign(new Error("Something went wrong on our side"), { code: ProtocolErrorCode.InternalError });
    }
  };
}

/**
 * Every revision the endpoint speaks: 2026-07-28 (negotiated by `server/discover`, stateless) and the
 * 2025-era revisions of the `initialize` handshake, newest first.
 */
export const PROTOCOL_VERSIONS = ["2026-07-28", ...SUPPORTED_PROTOCOL_VERSIONS];

/** A fresh protocol server for one session (or one stateless request), bound to its context. */
export function createProtocolServer(ctx: ToolContext): Server {
  const server = new Server(
    { name: "switchboard", version: "0.1.0" },
    {
      // logging: the SDK answers logging/setLevel; completions: there is nothing to complete.
      capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} },
      supportedProtocolVersions: PROTOCOL_VERSIONS,
      ...(ctx.server.customInstructions ? { instructions: ctx.server.customInstructions } : {}),
    },
  );
  server.setRequestHandler(
    "tools/list",
    guarded("tools/list", async () => ({ tools: await listTools(ctx) })),
  );
  server.setRequestHandler(
    "tools/call",
    guarded("tools/call", async (request) => callTool(ctx, request.params.name, request.params.arguments ?? {})),
  );
  // Switchboard exposes tools only; the empty lists keep clients that probe resources and prompts happy.
  server.setRequestHandler("resources/list", () => ({ resources: [] }));
  server.setRequestHandler("resources/templates/list", () => ({ resourceTemplates: [] }));
  server.setRequestHandler("resources/read", (request) => {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
  });
  server.setRequestHandler("prompts/list", () => ({ prompts: [] }));
  server.setRequestHandler("completion/complete", () => ({ completion: { values: [], hasMore: false } }));
  server.setRequestHandler("prompts/get", (request) => {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
  });
  return server;
}
