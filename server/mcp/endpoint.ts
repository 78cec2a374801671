import "server-only";
// The MCP endpoint (docs/api.md section 6): authentication and the checks that come before the protocol
// answer with the REST error envelope; then the official v2 SDK (`@modelcontextprotocol/server`) speaks
// MCP, in two eras on the same URLs (decision 0006):
// - 2026-07-28 (modern): every request carries its own `_meta` envelope; `createMcpHandler` serves it
//   statelessly (no session, no affinity: any replica answers any request).
// - 2025-11-25 and older (legacy): a request with Mcp-Session-Id goes to its session's transport; an
//   initialize without one opens a session; any other POST without one is served statelessly (a fresh
//   transport and server for that request alone), which is what simple clients that never keep the
//   session id need.
import { randomUUID } from "node:crypto";
import {
  createMcpHandler,
  isInitializeRequest,
  isJSONRPCRequest,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpHttpHandler,
} from "@modelcontextprotocol/server";
import { errorResponse, MAX_BODY_BYTES, rateLimitKey, readLimitedText } from "@/server/api-route";
import { authenticate } from "@/server/auth/authenticate";
import { publicBaseUrl } from "@/server/config";
import { ApiError, serverNotFound } from "@/server/errors";
import { logger, logRequest } from "@/server/logger";
import { userRefusal } from "@/server/mcp/policy";
import { addSession, closeSessionById, forgetSession, useSession } from "@/server/mcp/sessions";
import { createProtocolServer, type ToolContext } from "@/server/mcp/tools";
import { consumeRateLimit } from "@/server/rate-limit";
import {
  bindUser,
  closeSessionRecord,
  discardSessionRecord,
  openSessionRecord,
  restrictionsOf,
  serverForPrincipal,
  serverForToken,
  sessionRecordExists,
  touchSessionRecord,
  type McpServerInfo,
} from "@/server/services/mcp";
import { SERVER_ID_PATTERN } from "@/lib/schemas/server";

type Access = {
  server: McpServerInfo;
  userId: string;
  /** False when userId is only an unverified x-alloy-userid label (see claimedUser). */
  verifiedUser: boolean;
  rateKey: string;
  /** What this caller hears once the server is gone: a dead token is 401, a missing server 404. */
  gone: () => ApiError;
};

const forbidden = (message: string) => new ApiError("FORBIDDEN", message);

/** Who is calling and on which server, by docs/api.md section 6; throws the envelope's errors. */
async function resolveAccess(request: Request, serverId: string, token: string | undefined): Promise<Access> {
  let server: McpServerInfo;
  let userId: string;
  let verifiedUser = true;
  let rateKey: string;
  if (token !== undefined) {
    if (!SERVER_ID_PATTERN.test(serverId)) throw new ApiError("UNAUTHORIZED", "Invalid access token");
    const found = await serverForToken(serverId, token);
    server = found.server;
    rateKey = `token:${found.tokenId}`;
    const claimed = await claimedUser(request, server);
    if (server.isPublic) {
      userId = claimed?.userId ?? server.ownerUserId;
      verifiedUser = claimed?.verified ?? true;
    } else {
      // The token URL of a private server acts as its owner and only as the owner.
      if (claimed !== undefined && claimed.userId !== server.ownerUserId) {
        throw forbidden("This server is private: its token URL acts as its owner only");
      }
      userId = server.ownerUserId;
    }
  } else {
    // Authentication first, as on the REST routes: without a valid credential, every id answers 401.
    const principal = await authenticate(request.headers);
    if (!SERVER_ID_PATTERN.test(serverId)) throw serverNotFound();
    rateKey = rateLimitKey(principal);
    server = await serverForPrincipal(principal, serverId);
    userId = principal.userId;
    if (!server.isPublic && server.ownerUserId !== userId) {
      throw forbidden("This server is private and belongs to another user of the account");
    }
  }
  const gone = token === undefined ? serverNotFound : () => new ApiError("UNAUTHORIZED", "Invalid access token");
  const restrictions = await restrictionsOf(server.id);
  if (restrictions === null) throw gone();
  const refusal = userRefusal(restrictions, userId, verifiedUser);
  if (refusal) throw forbidden(refusal.message);
  return { server, userId, verifiedUser, rateKey, gone };
}

/** An unverified label is stored in usage records, sessions and bindings: kept short (issue #12). */
const MAX_LABEL_LENGTH = 256;

/**
 * The end user a token-URL caller names: a verified JWT of the server's account, else x-alloy-userid,
 * which anyone holding the URL can write: a label for the usage records only (issue #12 finding 4).
 */
async function claimedUser(
  request: Request,
  server: McpServerInfo,
): Promise<{ userId: string; verified: boolean } | undefined> {
  const userToken = request.headers.get("x-alloy-user-token");
  if (userToken) {
    const principal = await authenticate(new Headers({ "x-alloy-user-token": userToken }));
    if (principal.accountId !== server.accountId) throw new ApiError("UNAUTHORIZED", "Invalid user token");
    return { userId: principal.userId, verified: true };
  }
  const userId = request.headers.get("x-alloy-userid");
  if (userId === null || userId === "") return undefined;
  if (userId.length > MAX_LABEL_LENGTH) {
    throw new ApiError(
      "INVALID_REQUEST",
      `x-alloy-userid must be at most ${MAX_LABEL_LENGTH} characters on a token URL`,
    );
  }
  // The owner's own id names nobody new: the token URL acts as the owner anyway.
  return { userId, verified: userId === server.ownerUserId };
}

/**
 * DNS rebinding and cross-site use from a browser: a request that carries an Origin must come from this
 * app's own origin or one the operator allows (MCP_ALLOWED_ORIGINS, comma-separated). Non-browser
 * clients send no Origin and are unaffected.
 */
function checkOrigin(request: Request) {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const allowed = [
    new URL(publicBaseUrl()).origin,
    ...(process.env.MCP_ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim().replace(/\/+$/, ""))
      .filter(Boolean),
  ];
  if (!allowed.includes(origin)) throw new ApiError("FORBIDDEN", "Requests from this Origin are not allowed");
}

// Literally, as the SDK's transport checks it after us: a "*/*" let through here was refused there with a
// JSON-RPC body instead of the error envelope (found by the fuzz suite).
function checkAccept(request: Request) {
  const accept = request.headers.get("accept") ?? "";
  const wants = (type: string) => accept.includes(type);
  const ok =
    request.method === "POST"
      ? wants("application/json") && wants("text/event-stream")
      : request.method === "GET"
        ? wants("text/event-stream")
        : true;
  if (!ok) {
    throw new ApiError(
      "INVALID_REQUEST",
      request.method === "POST"
        ? "Not Acceptable: the Accept header must include both application/json and text/event-stream"
        : "Not Acceptable: the Accept header must include text/event-stream",
      undefined,
      406,
    );
  }
}

/** The body as JSON, read through the REST routes' streaming limit (security finding 7). */
async function readBody(request: Request): Promise<unknown> {
  const text = await readLimitedText(request);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return PARSE_ERROR;
  }
}
const PARSE_ERROR = Symbol("parse error");

const jsonRpcError = (status: number, code: number, message: string) =>
  Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status });

// A request (with an id): an initialize notification opened a session that no answer could ever name
// (found by the fuzz suite).
const opensSession = (message: unknown) => isInitializeRequest(message) && isJSONRPCRequest(message);
const isInitialize = (body: unknown) => (Array.isArray(body) ? body.some(opensSession) : opensSession(body));

async function openSession(access: Access, request: Request, body: unknown): Promise<Response> {
  // The session's row comes first: a server deleted since the access check has nothing to point it at,
  // and the client hears what it would hear a moment later (the delete won), not a half-made session.
  const sessionId = randomUUID();
  if (!(await openSessionRecord(sessionId, access.server.id, access.userId))) throw access.gone();
  const ctx: ToolContext = {
    server: access.server,
    userId: access.userId,
    verifiedUser: access.verifiedUser,
    sessionId: null,
  };
  const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => sessionId,
    onsessioninitialized: async (id) => {
      ctx.sessionId = id;
      await addSession({
        sessionId: id,
        serverId: access.server.id,
        accountId: access.server.accountId,
        tokenKey: access.rateKey,
        userId: access.userId,
        transport,
        server,
      });
    },
    onsessionclosed: async (id) => {
      forgetSession(id);
      await closeSessionRecord(id);
    },
  });
  const server = createProtocolServer(ctx);
  transport.onclose = () => {
    if (transport.sessionId) {
      forgetSession(transport.sessionId);
      void closeSessionRecord(transport.sessionId).catch(() => undefined);
    }
  };
  await server.connect(transport);
  const response = await transport.handleRequest(request, { parsedBody: body });
  if (ctx.sessionId === null) {
    // The transport refused the initialize (e.g. a batch with two): no session came to be.
    await discardSessionRecord(sessionId);
    void server.close().catch(() => undefined);
  } else if (!(await sessionRecordExists(sessionId))) {
    // The server was deleted between the row and the registration, so its delete could not close this
    // session: close it now. The client's next request gets the deleted server's answer.
    await closeSessionById(sessionId);
  }
  return response;
}

async function statelessRequest(access: Access, request: Request, body: unknown): Promise<Response> {
  const ctx: ToolContext = {
    server: access.server,
    userId: access.userId,
    verifiedUser: access.verifiedUser,
    sessionId: null,
  };
  const server = createProtocolServer(ctx);
  // One JSON answer per POST: nothing outlives the request, so the pair is closed right after.
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, { parsedBody: body });
  } finally {
    void server.close().catch(() => undefined);
  }
}

/**
 * The 2026-07-28 leg: one handler per process, a fresh protocol server per request, built from the
 * caller's context, which travels as the request's (already verified) authInfo. 2025-era requests never
 * reach it (`legacy: "reject"`): they are routed above, with sessions.
 */
function modernHandler(): McpHttpHandler {
  const holder = globalThis as unknown as { switchboardModernMcp?: McpHttpHandler };
  holder.switchboardModernMcp ??= createMcpHandler(
    ({ authInfo }) => createProtocolServer((authInfo?.extra as { toolContext: ToolContext }).toolContext),
    {
      legacy: "reject",
      maxRequestBodySize: MAX_BODY_BYTES,
      onerror: (error) => logger.warn("a 2026-07-28 MCP request failed", { error: error.message.slice(0, 300) }),
    },
  );
  return holder.switchboardModernMcp;
}

function modernRequest(access: Access, request: Request, body: unknown): Promise<Response> {
  const toolContext: ToolContext = {
    server: access.server,
    userId: access.userId,
    verifiedUser: access.verifiedUser,
    sessionId: null,
  };
  const authInfo: AuthInfo = { token: "", clientId: access.userId, scopes: [], extra: { toolContext } };
  return modernHandler().fetch(request, { parsedBody: body, authInfo });
}

/** A 2026-07-28 revision in the MCP-Protocol-Version header (a GET or DELETE has no body to say so). */
const MODERN_VERSION = /^\d{4}-\d{2}-\d{2}$/;
const namesModernRevision = (request: Request) => {
  const version = request.headers.get("mcp-protocol-version")?.trim() ?? "";
  return MODERN_VERSION.test(version) && version >= "2026-07-28";
};

async function serve(request: Request, serverId: string, token: string | undefined): Promise<Response> {
  checkOrigin(request);
  checkAccept(request);
  const access = await resolveAccess(request, serverId, token);
  const rateLimitHeaders = await consumeRateLimit(access.rateKey);
  await bindUser(access.server.id, access.userId);

  let response = await protocol(request, access);
  if (Object.keys(rateLimitHeaders).some((name) => !response.headers.has(name))) {
    // Some SDK answers carry immutable headers: copy them into a response of our own.
    response = new Response(response.body, response);
    for (const [name, value] of Object.entries(rateLimitHeaders)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
  }
  return response;
}

async function protocol(request: Request, access: Access): Promise<Response> {
  const body = request.method === "POST" ? await readBody(request) : undefined;
  const sessionId = request.headers.get("mcp-session-id");
  if (sessionId) {
    const session = useSession(sessionId);
    // Another server's or another user's session id is as unknown as an expired one.
    if (!session || session.serverId !== access.server.id || session.userId !== access.userId) {
      return jsonRpcError(404, -32001, "Session not found");
    }
    await touchSessionRecord(sessionId);
    if (body === PARSE_ERROR) return jsonRpcError(400, -32700, "Parse error: the body is not valid JSON");
    return session.transport.handleRequest(request, body === undefined ? undefined : { parsedBody: body });
  }
  if (request.method !== "POST") {
    // 2026-07-28 has no GET stream and no session to delete: the modern leg answers 405.
    if (namesModernRevision(request)) return modernRequest(access, request, undefined);
    throw new ApiError("INVALID_REQUEST", "Mcp-Session-Id header is required for GET and DELETE", undefined, 400);
  }
  if (body === PARSE_ERROR) return jsonRpcError(400, -32700, "Parse error: the body is not valid JSON");
  if (!(await isLegacyRequest(request, body, { maxRequestBodySize: MAX_BODY_BYTES }))) {
    return modernRequest(access, request, body);
  }
  return isInitialize(body) ? openSession(access, request, body) : statelessRequest(access, request, body);
}

/** The route handler body for /mcp/{serverId} and /mcp/{serverId}/{token}. */
export async function handleMcpRequest(request: Request, serverId: string, token: string | undefined) {
  const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
  const started = performance.now();
  let response: Response;
  try {
    response = await serve(request, serverId, token);
  } catch (error) {
    response = errorResponse(error, request, requestId);
  }
  // Never log the URL as given: its last segment may be the access token.
  try {
    response.headers.set("x-request-id", requestId);
  } catch {
    // Some SDK responses carry immutable headers; the id is a convenience only.
  }
  logRequest(request, response, requestId, started);
  return response;
}
