import "server-only";
// The MCP endpoint (docs/api.md section 6): authentication and the checks that come before the protocol
// answer with the REST error envelope; then the SDK's Streamable HTTP transport speaks MCP. A request
// with Mcp-Session-Id goes to its session's transport; an initialize without one opens a session; any
// other POST without one is served statelessly (a fresh transport and server for that request alone),
// which is what simple clients that never keep the session id need.
import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest, isJSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { errorResponse, MAX_BODY_BYTES, rateLimitKey } from "@/server/api-route";
import { authenticate } from "@/server/auth/authenticate";
import { publicBaseUrl } from "@/server/config";
import { ApiError, serverNotFound } from "@/server/errors";
import { logRequest } from "@/server/logger";
import { userRefusal } from "@/server/mcp/policy";
import { addSession, closeSessionById, forgetSession, getSession } from "@/server/mcp/sessions";
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

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new ApiError("INVALID_REQUEST", `Request body must be at most ${MAX_BODY_BYTES} bytes`, undefined, 413);
  }
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
    onsessioninitialized: (id) => {
      ctx.sessionId = id;
      addSession({
        sessionId: id,
        serverId: access.server.id,
        userId: access.userId,
        transport,
        server,
        lastSeen: Date.now(),
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

async function serve(request: Request, serverId: string, token: string | undefined): Promise<Response> {
  checkOrigin(request);
  checkAccept(request);
  const access = await resolveAccess(request, serverId, token);
  const rateLimitHeaders = await consumeRateLimit(access.rateKey);
  await bindUser(access.server.id, access.userId);

  const response = await protocol(request, access);
  for (const [name, value] of Object.entries(rateLimitHeaders)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}

async function protocol(request: Request, access: Access): Promise<Response> {
  const sessionId = request.headers.get("mcp-session-id");
  if (sessionId) {
    const session = getSession(sessionId);
    // Another server's or another user's session id is as unknown as an expired one.
    if (!session || session.serverId !== access.server.id || session.userId !== access.userId) {
      return jsonRpcError(404, -32001, "Session not found");
    }
    await touchSessionRecord(sessionId);
    return session.transport.handleRequest(request);
  }
  if (request.method !== "POST") {
    throw new ApiError("INVALID_REQUEST", "Mcp-Session-Id header is required for GET and DELETE", undefined, 400);
  }
  const body = await readBody(request);
  if (body === PARSE_ERROR) return jsonRpcError(400, -32700, "Parse error: the body is not valid JSON");
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
