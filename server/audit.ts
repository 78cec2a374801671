import "server-only";
import type { Principal } from "@/server/auth/authenticate";
import type { Tx } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { newId } from "@/server/secrets";

export type AuditAction =
  "server.created" | "server.updated" | "server.token_rotated" | "server.tokens_revoked" | "server.deleted";

/** Writes an audit event inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordAudit(
  tx: Tx,
  principal: Principal,
  event: {
    action: AuditAction;
    serverId: string;
    serverName: string;
    oldValues?: Prisma.InputJsonValue;
    newValues?: Prisma.InputJsonValue;
  },
) {
  await tx.auditEvent.create({
    data: {
      id: newId("aud"),
      accountId: principal.accountId,
      actorType: principal.actor.type,
      actorId: principal.actor.id,
      ...event,
    },
  });
}
