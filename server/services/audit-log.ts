import "server-only";
import { db } from "@/server/db";
import { type Prisma } from "@/server/generated/prisma/client";
import { type AuditQuery } from "@/lib/schemas/account";
import { type AuditEvent, type AuditPage } from "@/lib/schemas/account-responses";

/** The account's audit events, newest first. Events keep the server's id and name as text, so they outlive it. */
export async function listAuditEvents(accountId: string, query: AuditQuery): Promise<AuditPage> {
  // Prisma passes `contains` into LIKE as is: escape LIKE's wildcards so they match themselves (as the
  // servers list does; found by the fuzz suite, where "%" matched every event).
  const q = query.q?.replace(/[\\%_]/g, "\\$&");
  const where: Prisma.AuditEventWhereInput = {
    accountId,
    ...(query.serverId ? { serverId: query.serverId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(q
      ? {
          OR: [
            { serverName: { contains: q, mode: "insensitive" } },
            { serverId: { contains: q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const [rows, count] = await Promise.all([
    db().auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit,
      skip: query.offset,
    }),
    db().auditEvent.count({ where }),
  ]);
  // Dashboard users are shown by email; other actors by their credential id.
  const userIds = [...new Set(rows.filter((r) => r.actorType === "session").map((r) => r.actorId))];
  const users = userIds.length
    ? await db().user.findMany({ where: { id: { in: userIds }, accountId }, select: { id: true, email: true } })
    : [];
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  return {
    events: rows.map((r) => ({
      id: r.id,
      // Written only by server/audit.ts, from these lists.
      action: r.action as AuditEvent["action"],
      serverId: r.serverId,
      serverName: r.serverName,
      actorType: r.actorType as AuditEvent["actorType"],
      actorId: r.actorId,
      actorLabel: emailOf.get(r.actorId) ?? r.actorId,
      oldValues: r.oldValues,
      newValues: r.newValues,
      createdAt: r.createdAt.toISOString(),
    })),
    count,
    limit: query.limit,
    offset: query.offset,
    hasMore: query.offset + rows.length < count,
  };
}
