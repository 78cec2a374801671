// The server's restrictions (docs/api.md section 3) as one decision function, used alike by tools/list and
// tools/call so that what is not listed cannot be called. Pure: unit-tested without a database.
import type { Restrictions } from "@/lib/schemas/server";

export type Refusal = { restriction: "connectors" | "actions" | "users"; message: string };

type Part = { mode: "allowlist" | "blocklist"; allowed?: string[]; blocked?: string[] };

function passes(part: Part | undefined, candidates: string[]): boolean {
  if (!part) return true;
  if (part.mode === "allowlist") return candidates.some((c) => part.allowed?.includes(c) ?? false);
  return !candidates.some((c) => part.blocked?.includes(c) ?? false);
}

const idPart = (p: Restrictions["connectors"]): Part | undefined =>
  p && { mode: p.mode, allowed: p.allowedIds, blocked: p.blockedIds };

/**
 * `verified`: whether the id was proven (a JWT, an API key's own or permitted user, a token URL's owner).
 * An unverified x-alloy-userid is a label anyone can write, so it never passes an allowlist (issue #12).
 */
export function userRefusal(restrictions: Restrictions, userId: string, verified = true): Refusal | null {
  const users = restrictions.users;
  if (users?.mode === "allowlist" && !verified) {
    return {
      restriction: "users",
      message:
        "User is not permitted on this server (users allowlist): an unverified x-alloy-userid never passes it, send x-alloy-user-token",
    };
  }
  if (passes(idPart(users), [userId])) return null;
  return { restriction: "users", message: `User is not permitted on this server (users ${users!.mode})` };
}

export function connectorRefusal(restrictions: Restrictions, connectorId: string): Refusal | null {
  if (passes(idPart(restrictions.connectors), [connectorId])) return null;
  return {
    restriction: "connectors",
    message: `Connector "${connectorId}" is not permitted on this server (connectors ${restrictions.connectors!.mode})`,
  };
}

/** An action value matches the bare action id or "connectorId:actionId". */
export function actionRefusal(restrictions: Restrictions, connectorId: string, actionId: string): Refusal | null {
  const connector = connectorRefusal(restrictions, connectorId);
  if (connector) return connector;
  const a = restrictions.actions;
  const part: Part | undefined = a && { mode: a.mode, allowed: a.allowedActions, blocked: a.blockedActions };
  if (passes(part, [actionId, `${connectorId}:${actionId}`])) return null;
  return {
    restriction: "actions",
    message: `Action "${connectorId}:${actionId}" is not permitted on this server (actions ${a!.mode})`,
  };
}
