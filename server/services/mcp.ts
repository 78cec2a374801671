import "server-only";
// The database side of the MCP endpoint: who may use a server, its restrictions, and the records the
// endpoint keeps (sessions, end-user bindings, the tool-call usage log).
import type { Principal } from "@/server/auth/authenticate";
import { db } from "@/server/db";
import { isForeignKeyViolation } from "@/server/db-errors";
import { ApiError, serverNotFound } from "@/server/errors";
import { logger } from "@/server/logger";
import { newId, safeEqual, sha256 } from "@/server/secrets";
import { restrictionsSelect, restrictionsToJson } from "@/server/services/servers";
import type { Restrictions } from "@/lib/schemas/server";

export type McpServerInfo = {
  id: string;
  accountId: string;
  ownerUserId: string;
  isPublic: boolean;
  customInstructions: string;
};

const serverSelect = {
  id: true,
  accountId: true,
  ownerUserId: true,
  isPublic: true,
  customInstructions: true,
} as const;

const unauthorized = (message: string) => new ApiError("UNAUTHORIZED", message);

/**
 * The server a token URL names, if the token is one of its live tokens: not revoked, not past the
 * grace period of a rotation, not expired. Every failure is the same kind of 401.
 */
export async function serverForToken(serverId: string, token: string) {
  const tokenHash = sha256(token);
  const row = await db().serverAccessToken.findUnique({
    where: { tokenHash },
    select: { id: true, serverId: true, tokenHash: true, expiresAt: true, graceUntil: true, revokedAt: true },
  });
  if (!row || row.serverId !== serverId || !safeEqual(row.tokenHash, tokenHash)) {
    throw unauthorized("Invalid access token");
  }
  const now = Date.now();
  if (row.revokedAt) throw unauthorized("This access token has been rotated out");
  if (row.graceUntil && row.graceUntil.getTime() <= now) throw unauthorized("This access token has been rotated out");
  if (row.expiresAt.getTime() <= now) throw unauthorized("This access token has expired");
  const server = await db().mcpServer.findUnique({ where: { id: serverId }, select: serverSelect });
  if (!server) throw unauthorized("Invalid access token");
  return { server, tokenId: row.id };
}

/** The server as a management credential sees it: in the caller's account, or 404. */
export async function serverForPrincipal(principal: Principal, serverId: string): Promise<McpServerInfo> {
  const server = await db().mcpServer.findFirst({
    where: { id: serverId, accountId: principal.accountId },
    select: serverSelect,
  });
  if (!server) throw serverNotFound();
  return server;
}

/** The restrictions as they are right now: read per list and per call, so edits apply at once. */
export async function restrictionsOf(serverId: string): Promise<Restrictions | null> {
  const server = await db().mcpServer.findUnique({
    where: { id: serverId },
    select: { restrictions: restrictionsSelect },
  });
  return server ? restrictionsToJson(server.restrictions) : null;
}

// Bindings and session activity are for humans ("last seen"): at most one write a minute per pair.
const SEEN_RESOLUTION_MS = 60_000;
const globalForSeen = globalThis as unknown as { switchboardSeen?: Map<string, number> };
function seenRecently(key: string): boolean {
  const seen = (globalForSeen.switchboardSeen ??= new Map<string, number>());
  const now = Date.now();
  const last = seen.get(key);
  if (last !== undefined && now - last < SEEN_RESOLUTION_MS) return true;
  if (seen.size > 10_000) seen.clear();
  seen.set(key, now);
  return false;
}

export async function bindUser(serverId: string, userId: string) {
  const userKey = sha256(userId);
  if (seenRecently(`bind:${serverId}:${userKey}`)) return;
  const now = new Date();
  try {
    await db().serverUserBinding.upsert({
      where: { serverId_userKey: { serverId, userKey } },
      create: { id: newId("bnd"), serverId, userId, userKey, firstSeenAt: now, lastSeenAt: now },
      update: { lastSeenAt: now },
    });
  } catch (error) {
    // A server deleted in between: nothing to bind to, and the request fails on its own.
    logger.warn("binding an end user failed", { serverId, error: (error as Error).message });
  }
}

/** Writes a session's row; false when the server was deleted since the caller's access check. */
export async function openSessionRecord(sessionId: string, serverId: string, userId: string): Promise<boolean> {
  try {
    await db().mcpSession.create({ data: { id: sessionId, serverId, userId } });
    return true;
  } catch (error) {
    if (isForeignKeyViolation(error)) return false;
    throw error;
  }
}

/** Whether the session's row is still there (a server delete cascades it away). */
export async function sessionRecordExists(sessionId: string): Promise<boolean> {
  return (await db().mcpSession.count({ where: { id: sessionId } })) > 0;
}

/** Removes the row of a session that never came to be (the initialize was refused). */
export async function discardSessionRecord(sessionId: string) {
  await db().mcpSession.deleteMany({ where: { id: sessionId } });
}

export async function touchSessionRecord(sessionId: string) {
  if (seenRecently(`ses:${sessionId}`)) return;
  await db().mcpSession.updateMany({ where: { id: sessionId, closedAt: null }, data: { lastSeenAt: new Date() } });
}

export async function closeSessionRecord(sessionId: string) {
  await db().mcpSession.updateMany({ where: { id: sessionId, closedAt: null }, data: { closedAt: new Date() } });
}

export type ToolCallRecord = {
  serverId: string;
  sessionId: string | null;
  userId: string;
  connectorId: string | null;
  actionId: string | null;
  toolName: string;
  status: "success" | "error" | "refused";
  durationMs: number;
  error: string | null;
};

export async function recordToolCall(record: ToolCallRecord) {
  try {
    await db().toolCall.create({ data: { id: newId("tc"), ...record, error: record.error?.slice(0, 2000) ?? null } });
  } catch (error) {
    // The server (and with it the session) was deleted while the call ran: its usage goes with it.
    logger.warn("recording a tool call failed", { serverId: record.serverId, error: (error as Error).message });
  }
}
