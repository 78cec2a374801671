import "server-only";
import { randomBytes } from "node:crypto";
import type { Principal } from "@/server/auth/authenticate";
import { recordAudit } from "@/server/audit";
import { publicBaseUrl } from "@/server/config";
import { db, type Tx } from "@/server/db";
import { isUniqueViolation } from "@/server/db-errors";
import { ApiError, serverNotFound } from "@/server/errors";
import { Prisma } from "@/server/generated/prisma/client";
import type { RestrictionDimension } from "@/server/generated/prisma/enums";
import { closeServerSessions } from "@/server/mcp/sessions";
import { newId, randomToken, sha256 } from "@/server/secrets";
import type {
  DeleteServerDryRun,
  DeleteServerResult,
  Server,
  ServerList,
  ServerWithToken,
} from "@/lib/schemas/server-responses";
import {
  DEFAULT_TOKEN_DAYS,
  serverIdSlug,
  type CreateServerInput,
  type ListServersQuery,
  type Restrictions,
  type RotateTokenInput,
  type UpdateServerInput,
} from "@/lib/schemas/server";

const DAY_MS = 86_400_000;
const MAX_LISTED_TOKENS = 50;
const ACCESS_TOKEN_PREFIX = "sbt_";

// What a server answer needs besides the row: its current token and its restrictions.
const serverInclude = {
  // Every token not revoked, newest (the current one) first; toJson drops those past their grace or expiry.
  // Bounded: only rotations with a grace period leave more than one, and they end within a day.
  accessTokens: {
    where: { revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_LISTED_TOKENS,
    select: { hint: true, expiresAt: true, graceUntil: true },
  },
  restrictions: {
    select: {
      dimension: true,
      mode: true,
      values: { orderBy: [{ list: "asc" }, { position: "asc" }], select: { list: true, value: true } },
    },
  },
} satisfies Prisma.McpServerInclude;

type ServerRow = Prisma.McpServerGetPayload<{ include: typeof serverInclude }>;

/** The restriction rows as the MCP endpoint reads them (same shape as the REST answer uses). */
export const restrictionsSelect = serverInclude.restrictions;

// Every answer below is typed by the response schemas the OpenAPI document is generated from: a field added
// here but not there (or the other way round) is a type error.
function toJson(server: ServerRow): Server {
  const url = `${publicBaseUrl()}/mcp/${server.id}`;
  const restrictions = restrictionsToJson(server.restrictions);
  const token = server.accessTokens.find((t) => t.graceUntil === null);
  const now = Date.now();
  const liveTokens = server.accessTokens
    .filter((t) => t.expiresAt.getTime() > now && (t.graceUntil === null || t.graceUntil.getTime() > now))
    .map((t) => ({
      tokenHint: t.hint,
      expiresAt: t.expiresAt.toISOString(),
      graceUntil: t.graceUntil?.toISOString() ?? null,
    }));
  return {
    serverId: server.id,
    name: server.name,
    description: server.description,
    customInstructions: server.customInstructions,
    mode: server.mode,
    isPublic: server.isPublic,
    url,
    restrictions,
    hasRestrictions: Object.keys(restrictions).length > 0,
    tokenExpiresAt: token ? token.expiresAt.toISOString() : null,
    tokenHint: token ? token.hint : null,
    liveTokens,
    createdAt: server.createdAt.toISOString(),
    updatedAt: server.updatedAt.toISOString(),
  };
}

const LIST_KEYS = {
  connectors: ["allowedIds", "blockedIds"],
  actions: ["allowedActions", "blockedActions"],
  users: ["allowedIds", "blockedIds"],
} as const satisfies Record<RestrictionDimension, readonly [string, string]>;

export function restrictionsToJson(rows: ServerRow["restrictions"]): Restrictions {
  const result: Record<string, unknown> = {};
  for (const dimension of Object.keys(LIST_KEYS) as RestrictionDimension[]) {
    const row = rows.find((r) => r.dimension === dimension);
    if (!row) continue;
    const [allowedKey, blockedKey] = LIST_KEYS[dimension];
    result[dimension] = {
      mode: row.mode,
      [allowedKey]: row.values.filter((v) => v.list === "allowed").map((v) => v.value),
      [blockedKey]: row.values.filter((v) => v.list === "blocked").map((v) => v.value),
    };
  }
  return result;
}

async function writeRestrictions(tx: Tx, serverId: string, restrictions: Restrictions) {
  for (const dimension of Object.keys(LIST_KEYS) as RestrictionDimension[]) {
    const part = restrictions[dimension] as Record<string, unknown> | undefined;
    if (!part) continue;
    const restrictionId = newId("rst");
    await tx.serverRestriction.create({
      data: { id: restrictionId, serverId, dimension, mode: part.mode as "allowlist" | "blocklist" },
    });
    const [allowedKey, blockedKey] = LIST_KEYS[dimension];
    const values = [
      ...((part[allowedKey] as string[] | undefined) ?? []).map((value, position) => ({
        list: "allowed" as const,
        value,
        position,
      })),
      ...((part[blockedKey] as string[] | undefined) ?? []).map((value, position) => ({
        list: "blocked" as const,
        value,
        position,
      })),
    ];
    if (values.length) {
      await tx.serverRestrictionValue.createMany({
        data: values.map((v) => ({ id: newId("rsv"), serverId, restrictionId, ...v })),
      });
    }
  }
}

function mintToken(serverId: string, days: number) {
  const accessToken = randomToken(ACCESS_TOKEN_PREFIX);
  return {
    accessToken,
    row: {
      id: newId("tok"),
      serverId,
      tokenHash: sha256(accessToken),
      hint: accessToken.slice(-4),
      expiresAt: new Date(Date.now() + days * DAY_MS),
    },
  };
}

const withToken = (server: ServerRow, accessToken: string): ServerWithToken => {
  const json = toJson(server);
  return { ...json, accessToken, accessUrl: `${json.url}/${accessToken}` };
};

/** The tenant scope of every server query: the caller's account. Ownership is checked on top. */
const inAccount = (principal: Principal, serverId: string) => ({ id: serverId, accountId: principal.accountId });
const ownerScope = (principal: Principal) => ({
  accountId: principal.accountId,
  ownerKey: sha256(principal.userId),
  ownerUserId: principal.userId,
});

/**
 * Loads a server of the caller's account for a change, or fails: missing (or another account's) is
 * 404, another end user's server of the same account is 403 (docs/api.md section 1).
 */
async function findOwned(tx: Tx, principal: Principal, serverId: string) {
  const server = await tx.mcpServer.findFirst({ where: inAccount(principal, serverId), include: serverInclude });
  if (!server) throw serverNotFound();
  if (server.ownerUserId !== principal.userId) {
    throw new ApiError("FORBIDDEN", "This server belongs to another user of the account");
  }
  return server;
}

/**
 * findOwned for a change: first takes the server row's lock, so that every writer of one server (update,
 * rotate, delete) runs after the others in one order — server row, then its children. Without it, on
 * PostgreSQL a rotation and a delete deadlocked, an update or rotation racing a delete failed on the
 * vanished row, and concurrent rotations each left the token another had just minted valid (found by
 * the concurrency suite). A writer that waited for a delete then finds nothing: 404.
 */
async function lockOwned(tx: Tx, principal: Principal, serverId: string) {
  await tx.$queryRaw`SELECT id FROM "McpServer" WHERE id = ${serverId} AND "accountId" = ${principal.accountId} FOR UPDATE`;
  return findOwned(tx, principal, serverId);
}

const nameConflict = (name: string) =>
  new ApiError("CONFLICT", `A server named "${name}" already exists`, { field: "name" });

export async function createServer(principal: Principal, input: CreateServerInput): Promise<ServerWithToken> {
  const id = `${serverIdSlug(input.name)}-${randomBytes(4).toString("hex")}`;
  const token = mintToken(id, input.tokenExpiresInDays ?? DEFAULT_TOKEN_DAYS);
  try {
    const server = await db().$transaction(async (tx) => {
      await tx.mcpServer.create({
        data: {
          id,
          ...ownerScope(principal),
          name: input.name,
          nameKey: input.name.toLowerCase(),
          description: input.description ?? "",
          customInstructions: input.customInstructions ?? "",
          isPublic: input.isPublic ?? false,
        },
      });
      await tx.serverAccessToken.create({ data: token.row });
      if (input.restrictions) await writeRestrictions(tx, id, input.restrictions);
      const created = await tx.mcpServer.findUniqueOrThrow({ where: { id }, include: serverInclude });
      await recordAudit(tx, principal, {
        action: "server.created",
        serverId: id,
        serverName: input.name,
        newValues: auditValues(toJson(created)),
      });
      return created;
    });
    return withToken(server, token.accessToken);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameConflict(input.name);
    throw error;
  }
}

export async function listServers(principal: Principal, query: ListServersQuery): Promise<ServerList> {
  const where: Prisma.McpServerWhereInput = {
    ...ownerScope(principal),
    // Prisma passes `contains` into LIKE as is: escape LIKE's wildcards so they match themselves.
    ...(query.q ? { name: { contains: query.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } } : {}),
  };
  const [rows, count] = await Promise.all([
    db().mcpServer.findMany({
      where,
      include: serverInclude,
      orderBy:
        query.order === "oldest" ? [{ createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit,
      skip: query.offset,
    }),
    db().mcpServer.count({ where }),
  ]);
  return {
    servers: rows.map(toJson),
    count,
    limit: query.limit,
    offset: query.offset,
    hasMore: query.offset + rows.length < count,
  };
}

export async function getServer(principal: Principal, serverId: string): Promise<Server> {
  return toJson(await findOwned(db(), principal, serverId));
}

export async function updateServer(principal: Principal, serverId: string, input: UpdateServerInput): Promise<Server> {
  try {
    const server = await db().$transaction(async (tx) => {
      const before = await lockOwned(tx, principal, serverId);
      await tx.mcpServer.update({
        where: { id: serverId },
        data: {
          ...(input.name !== undefined ? { name: input.name, nameKey: input.name.toLowerCase() } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.customInstructions !== undefined ? { customInstructions: input.customInstructions } : {}),
          ...(input.isPublic !== undefined ? { isPublic: input.isPublic } : {}),
          updatedAt: new Date(),
        },
      });
      if (input.restrictions !== undefined) {
        await tx.serverRestriction.deleteMany({ where: { serverId } });
        await writeRestrictions(tx, serverId, input.restrictions);
      }
      const after = await tx.mcpServer.findUniqueOrThrow({ where: { id: serverId }, include: serverInclude });
      await recordAudit(tx, principal, {
        action: "server.updated",
        serverId,
        serverName: after.name,
        oldValues: auditValues(toJson(before)),
        newValues: auditValues(toJson(after)),
      });
      return after;
    });
    return toJson(server);
  } catch (error) {
    if (isUniqueViolation(error) && input.name !== undefined) throw nameConflict(input.name);
    throw error;
  }
}

export async function rotateToken(
  principal: Principal,
  serverId: string,
  input: RotateTokenInput,
): Promise<ServerWithToken> {
  const graceSeconds = input.graceSeconds ?? 0;
  const token = mintToken(serverId, input.tokenExpiresInDays ?? DEFAULT_TOKEN_DAYS);
  const server = await db().$transaction(async (tx) => {
    const before = await lockOwned(tx, principal, serverId);
    const now = new Date();
    if (graceSeconds > 0) {
      await tx.serverAccessToken.updateMany({
        where: { serverId, revokedAt: null, graceUntil: null },
        data: { graceUntil: new Date(now.getTime() + graceSeconds * 1000) },
      });
    } else {
      // No grace: every live token ends now, those still in an earlier rotation's grace too (issue #12).
      await tx.serverAccessToken.updateMany({ where: { serverId, revokedAt: null }, data: { revokedAt: now } });
    }
    await tx.serverAccessToken.create({ data: token.row });
    await tx.mcpServer.update({ where: { id: serverId }, data: { updatedAt: now } });
    await recordAudit(tx, principal, {
      action: "server.token_rotated",
      serverId,
      serverName: before.name,
      oldValues: { tokenHint: before.accessTokens[0]?.hint ?? null },
      newValues: { tokenHint: token.row.hint, graceSeconds, tokenExpiresAt: token.row.expiresAt.toISOString() },
    });
    return tx.mcpServer.findUniqueOrThrow({ where: { id: serverId }, include: serverInclude });
  });
  return withToken(server, token.accessToken);
}

/**
 * Revokes every token of the server, those in a rotation's grace period too: its token URLs answer 401
 * until the next rotation mints a new one (issue #12 finding 8).
 */
export async function revokeAllTokens(principal: Principal, serverId: string): Promise<Server> {
  const server = await db().$transaction(async (tx) => {
    const before = await lockOwned(tx, principal, serverId);
    const now = new Date();
    await tx.serverAccessToken.updateMany({ where: { serverId, revokedAt: null }, data: { revokedAt: now } });
    await tx.mcpServer.update({ where: { id: serverId }, data: { updatedAt: now } });
    await recordAudit(tx, principal, {
      action: "server.tokens_revoked",
      serverId,
      serverName: before.name,
      oldValues: { tokenHints: toJson(before).liveTokens.map((t) => t.tokenHint) },
    });
    return tx.mcpServer.findUniqueOrThrow({ where: { id: serverId }, include: serverInclude });
  });
  return toJson(server);
}

/** Every relation that goes with a server, and how to count its rows. Keep in step with the schema. */
async function impactOf(tx: Tx, serverId: string): Promise<DeleteServerDryRun["impact"]> {
  const where = { serverId };
  const [accessTokens, restrictions, restrictionValues, sessions, toolCalls, userBindings] = await Promise.all([
    tx.serverAccessToken.count({ where }),
    tx.serverRestriction.count({ where }),
    tx.serverRestrictionValue.count({ where }),
    tx.mcpSession.count({ where }),
    tx.toolCall.count({ where }),
    tx.serverUserBinding.count({ where }),
  ]);
  return { accessTokens, restrictions, restrictionValues, sessions, toolCalls, userBindings };
}

export async function previewDelete(principal: Principal, serverId: string): Promise<DeleteServerDryRun> {
  const server = await findOwned(db(), principal, serverId);
  return { dryRun: true as const, serverId, name: server.name, impact: await impactOf(db(), serverId) };
}

/**
 * Deletes the server row; the database cascades remove every row that belonged to it. The audit
 * event is written in the same transaction, so there is never a deletion without its record.
 */
export async function deleteServer(principal: Principal, serverId: string): Promise<DeleteServerResult> {
  await db().$transaction(async (tx) => {
    const server = await lockOwned(tx, principal, serverId);
    // Scoped again in the delete itself: a concurrent delete that won leaves nothing to remove here.
    const { count } = await tx.mcpServer.deleteMany({
      where: { ...inAccount(principal, serverId), ownerUserId: principal.userId },
    });
    if (count === 0) throw serverNotFound();
    // What the server held goes with it, from its earlier audit events too: the trail keeps who, when,
    // which id and which name (issue #12 finding 12).
    await tx.auditEvent.updateMany({
      where: { accountId: principal.accountId, serverId },
      data: { oldValues: Prisma.DbNull, newValues: Prisma.DbNull },
    });
    await recordAudit(tx, principal, { action: "server.deleted", serverId, serverName: server.name });
  });
  // After the commit, never before: a rolled-back delete must not cut anyone off. The rows are gone
  // already, so a client that reconnects gets 401/404 rather than a fresh session.
  await closeServerSessions(serverId);
  return { message: "Server deleted", serverId };
}

function auditValues(server: Server): Prisma.InputJsonValue {
  const { name, description, customInstructions, isPublic, restrictions, tokenExpiresAt } = server;
  return { name, description, customInstructions, isPublic, restrictions, tokenExpiresAt };
}
