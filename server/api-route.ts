import "server-only";
import { randomUUID } from "node:crypto";
import { type z } from "zod";
import { authenticate, type Principal } from "@/server/auth/authenticate";
import { ApiError } from "@/server/errors";
import { loggablePath, logger, logRequest } from "@/server/logger";
import { consumeRateLimit } from "@/server/rate-limit";
import { sha256 } from "@/server/secrets";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type AnySchema = z.ZodType;
type Out<S> = S extends AnySchema ? z.output<S> : undefined;

export type HandlerResult = Response | { status?: number; body: unknown; headers?: Record<string, string> };

type RouteSpec<P, Q, B, A extends AuthMode = "any"> = {
  params?: P;
  query?: Q;
  body?: B;
  /** Whether an empty body stands for `{}` (operations whose every field is optional). */
  emptyBody?: "allowed";
  /** The error for path params that cannot name anything: the same 404 as a missing resource. */
  notFound?: () => ApiError;
  /**
   * Who may call: any credential (default), only a signed-in dashboard user (account management), or
   * anyone (sign-up; rate limited per client IP).
   */
  auth?: A;
};

type AuthMode = "any" | "session" | "none";

type HandlerArgs<P, Q, B, A extends AuthMode = "any"> = {
  request: Request;
  principal: A extends "none" ? null : Principal;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  requestId: string;
};

/**
 * The one way a REST route is exported: authentication, then zod parsing of path params, query and
 * body, then the handler, with every failure mapped to the error envelope of docs/api.md section 4.
 * Handlers hold domain logic only.
 */
export function apiRoute<
  P extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  B extends AnySchema | undefined = undefined,
  A extends AuthMode = "any",
>(spec: RouteSpec<P, Q, B, A>, handler: (args: HandlerArgs<P, Q, B, A>) => Promise<HandlerResult>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    const started = performance.now();
    let response: Response;
    let rateLimitHeaders: Record<string, string> = {};
    try {
      let principal: Principal | null = null;
      if (spec.auth === "none") {
        rateLimitHeaders = await consumeRateLimit(`ip:${clientIp(request.headers)}`);
      } else {
        principal = await authenticate(request.headers, { method: request.method, url: request.url });
        if (spec.auth === "session" && principal.actor.type !== "session") {
          throw new ApiError("FORBIDDEN", "This operation is only available to a signed-in dashboard user");
        }
        rateLimitHeaders = await consumeRateLimit(rateLimitKey(principal));
      }
      const params = spec.params ? parsePath(spec.params, await context.params, spec.notFound) : undefined;
      const query = spec.query
        ? parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query")
        : undefined;
      const body = spec.body
        ? parse(spec.body, await readJson(request, spec.emptyBody === "allowed"), "body")
        : undefined;
      const result = await handler({
        request,
        principal: principal as HandlerArgs<P, Q, B, A>["principal"],
        params: params as Out<P>,
        query: query as Out<Q>,
        body: body as Out<B>,
        requestId,
      });
      response =
        result instanceof Response
          ? result
          : Response.json(result.body, { status: result.status ?? 200, headers: result.headers });
    } catch (error) {
      response = errorResponse(error, request, requestId);
    }
    response.headers.set("x-request-id", requestId);
    for (const [name, value] of Object.entries(rateLimitHeaders)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    logRequest(request, response, requestId, started);
    return response;
  };
}

/** One budget per credential: an API key, a JWT subject of an account, or a dashboard user. */
export function rateLimitKey(principal: Principal): string {
  switch (principal.actor.type) {
    case "api_key":
      return `key:${principal.actor.id}`;
    case "session":
      return `session:${principal.actor.id}`;
    case "jwt":
      return `jwt:${principal.accountId}:${sha256(principal.actor.id)}`;
  }
}

/** The client's address as the proxy in front reports it (Next.js sets x-forwarded-for itself). */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}

export function errorResponse(error: unknown, request: Request, requestId: string): Response {
  if (error instanceof ApiError) return Response.json(error.toJSON(), { status: error.status, headers: error.headers });
  // Unexpected: log what happened without the stack or the request's secrets, answer a bare 500.
  logger.error("unhandled error", {
    requestId,
    method: request.method,
    path: loggablePath(new URL(request.url).pathname),
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return Response.json(new ApiError("INTERNAL_ERROR", "Something went wrong on our side").toJSON(), { status: 500 });
}

// An id that cannot exist is reported exactly like one that does not: ids are opaque to clients.
function parsePath<S extends AnySchema>(schema: S, input: unknown, notFound?: () => ApiError): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw notFound?.() ?? new ApiError("NOT_FOUND", "Not found");
}

function parse<S extends AnySchema>(schema: S, input: unknown, where: "query" | "body"): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) {
    if (where === "body") rejectProtoKeys(input);
    rejectUnstorableText(result.data, where);
    return result.data;
  }
  throw new ApiError("INVALID_REQUEST", `Invalid request ${where}`, {
    issues: result.error.issues.map((issue) => ({
      path: issue.path.length ? issue.path.join(".") : "(root)",
      ...(issue.code === "unrecognized_keys" ? { fields: issue.keys } : {}),
      message: issue.message,
    })),
  });
}

const tooLarge = () =>
  new ApiError("INVALID_REQUEST", `Request body must be at most ${MAX_BODY_BYTES} bytes`, undefined, 413);

/**
 * Reads a body as text, refusing more than MAX_BODY_BYTES without buffering past the limit: a declared
 * Content-Length over it is refused before a byte is read. The REST routes and the MCP endpoint share it.
 */
export async function readLimitedText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > MAX_BODY_BYTES) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a JSON body within the limit (readLimitedText). */
async function readJson(request: Request, emptyAllowed: boolean): Promise<unknown> {
  const text = await readLimitedText(request);
  if (text.trim() === "") {
    if (emptyAllowed) return {};
    throw new ApiError("INVALID_REQUEST", "Request body must be a JSON object", {
      issues: [{ path: "(root)", message: "Body is empty" }],
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("INVALID_REQUEST", "Request body is not valid JSON");
  }
  return parsed;
}

// JSON.parse keeps a "__proto__" key as an own property; zod's objects report it as unknown, but its records
// (connector headers and env) skip it without checking its value, so it was accepted and silently dropped
// until the fuzz suite found it. Refused as an unknown field wherever the schema let it through. (Query
// parameters are flat, and unknown ones are ignored, that one included.)
function rejectProtoKeys(value: unknown): void {
  const pending: [unknown, string[]][] = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (item === null || typeof item !== "object") continue;
    if (Object.hasOwn(item, "__proto__")) {
      throw new ApiError("INVALID_REQUEST", "Invalid request body", {
        issues: [
          {
            path: path.length ? path.join(".") : "(root)",
            fields: ["__proto__"],
            message: 'Unrecognized key: "__proto__"',
          },
        ],
      });
    }
    for (const [key, child] of Object.entries(item)) pending.push([child, [...path, key]]);
  }
}

// PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate is not text at all: both made the database
// throw (500) until the fuzz suite found them. Refused up front, for every field of every route.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Runs on what the schema accepted (so its own issues come first); iterative, for any depth. */
function rejectUnstorableText(value: unknown, where: "body" | "query"): void {
  const pending: [unknown, string[]][] = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === "string" && UNSTORABLE.test(item)) {
      throw new ApiError("INVALID_REQUEST", `Invalid request ${where}`, {
        issues: [
          {
            path: path.length ? path.join(".") : "(root)",
            message: "Must not contain NUL characters or unpaired surrogates",
          },
        ],
      });
    }
    if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) pending.push([child, [...path, key]]);
    }
  }
}
