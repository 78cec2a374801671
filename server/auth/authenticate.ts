import "server-only";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { decryptSecret, safeEqual, sha256 } from "@/server/secrets";
import { isSameOrigin, sessionUserFromHeaders } from "@/server/auth/session";
import { MAX_USER_ID_LENGTH } from "@/lib/schemas/server";

/** Who is calling: an account, the end user the call acts as, and the credential that proved it. */
export type Principal = {
  accountId: string;
  userId: string;
  /** `session`: the dashboard's next-auth cookie (the id is the dashboard user's id). */
  actor: { type: "api_key" | "jwt" | "session"; id: string };
};

/** What the cookie path needs to know about the request besides its headers (the CSRF rule). */
export type RequestInfo = { method: string; url: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const JWT_CLOCK_TOLERANCE_SECONDS = 30;
// lastUsedAt is for humans ("used 3 minutes ago"): writing it on every request would turn each read
// into a write, so it is refreshed at most once a minute.
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthorized = (message: string) => new ApiError("UNAUTHORIZED", message);

function bearerToken(authorization: string): string {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) {
    throw unauthorized('Authorization header must be "Bearer <API key or JWT>"');
  }
  return match[1];
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Authenticates a request by docs/api.md section 2: `Authorization: Bearer <API key | JWT>`, or
 * `x-alloy-user-token: <JWT>` when there is no Authorization header; `x-alloy-userid` then selects
 * the end user where the credential allows it. Without either, the dashboard's session cookie: it acts
 * as the signed-in user (whose id is also the end-user id of the owner's default API key), and a
 * cookie-authenticated mutation must come from the app's own origin (CSRF).
 */
export async function authenticate(headers: Headers, request?: RequestInfo): Promise<Principal> {
  const authorization = headers.get("authorization");
  const userToken = headers.get("x-alloy-user-token");
  let principal: Principal & { canActAsAnyUser: boolean };
  if (authorization !== null) {
    const token = bearerToken(authorization);
    principal = looksLikeJwt(token) ? await verifyJwt(token) : await verifyApiKey(token);
  } else if (userToken) {
    principal = await verifyJwt(userToken.trim());
  } else {
    principal = await verifySession(headers, request);
  }

  const requestedUser = headers.get("x-alloy-userid");
  if (requestedUser === null || requestedUser === "" || requestedUser === principal.userId) {
    return stripFlags(principal);
  }
  if (requestedUser.length > MAX_USER_ID_LENGTH) {
    throw new ApiError("INVALID_REQUEST", `x-alloy-userid must be at most ${MAX_USER_ID_LENGTH} characters`, {
      field: "x-alloy-userid",
    });
  }
  if (!principal.canActAsAnyUser) {
    throw new ApiError(
      "FORBIDDEN",
      principal.actor.type === "jwt"
        ? "A JWT caller cannot act as another user (x-alloy-userid)"
        : principal.actor.type === "session"
          ? "A dashboard session cannot act as another user (x-alloy-userid)"
          : "This API key may not act as another user (x-alloy-userid)",
    );
  }
  return stripFlags({ ...principal, userId: requestedUser });
}

function stripFlags({ accountId, userId, actor }: Principal & { canActAsAnyUser: boolean }): Principal {
  return { accountId, userId, actor };
}

async function verifyApiKey(key: string) {
  const keyHash = sha256(key);
  const apiKey = await db().apiKey.findUnique({ where: { keyHash } });
  // The lookup is by hash; the explicit constant-time compare keeps the rule visible and cheap.
  if (!apiKey || !safeEqual(apiKey.keyHash, keyHash)) throw unauthorized("Invalid API key");
  if (apiKey.revokedAt) throw unauthorized("API key has been revoked");
  const now = Date.now();
  if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    accountId: apiKey.accountId,
    userId: apiKey.defaultUserId,
    actor: { type: "api_key" as const, id: apiKey.id },
    canActAsAnyUser: apiKey.canActAsAnyUser,
  };
}

async function verifyJwt(token: string) {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== "HS256") throw unauthorized("JWT must be signed with HS256");
    kid = header.kid;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw unauthorized("Malformed JWT");
  }
  if (!kid) throw unauthorized("JWT header must name its signing key (kid)");

  const signingKey = await db().jwtSigningKey.findUnique({ where: { kid } });
  if (!signingKey || signingKey.revokedAt) throw unauthorized("Unknown or revoked JWT signing key");

  let payload;
  try {
    ({ payload } = await jwtVerify(token, Buffer.from(decryptSecret(signingKey.secretEncrypted), "utf8"), {
      algorithms: ["HS256"],
      clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthorized("JWT has expired");
    if (error instanceof joseErrors.JWTClaimValidationFailed) throw unauthorized(`Invalid JWT: ${error.message}`);
    throw unauthorized("Invalid JWT signature");
  }
  const claimed: unknown = payload.userId ?? payload.sub;
  if (typeof claimed !== "string" || claimed.length === 0 || claimed.length > MAX_USER_ID_LENGTH) {
    throw unauthorized("JWT must carry the end-user id in claim userId or sub");
  }
  return {
    accountId: signingKey.accountId,
    userId: claimed,
    actor: { type: "jwt" as const, id: claimed },
    canActAsAnyUser: false,
  };
}

async function verifySession(headers: Headers, request: RequestInfo | undefined) {
  const user = await sessionUserFromHeaders(headers);
  if (user === undefined) throw unauthorized("Missing credentials: send Authorization: Bearer <API key or JWT>");
  if (user === null) throw unauthorized("Session expired or invalid: sign in again");
  // Callers that do not say what the request is (method, URL) cannot be checked for CSRF: no cookies.
  if (!request) throw unauthorized("Missing credentials: send Authorization: Bearer <API key or JWT>");
  // Browsers attach cookies to cross-site requests too; Origin (or Referer) tells whether our pages sent it.
  if (!SAFE_METHODS.has(request.method.toUpperCase()) && !isSameOrigin({ headers, url: request.url })) {
    throw new ApiError(
      "FORBIDDEN",
      "Cross-origin request refused: cookie-authenticated changes must come from this site",
    );
  }
  return {
    accountId: user.accountId,
    userId: user.id,
    actor: { type: "session" as const, id: user.id },
    canActAsAnyUser: false,
  };
}
