import "server-only";
// Who may manage an account's connectors (issue #12, finding 3): the account owner only, that is the
// owner's dashboard session, or an API key whose end user is the owner and that is not acting as another
// end user. JWT end users and members may list connectors (names, ids, transport, health) and manage their
// own credentials; what a connector reaches and how (URL, headers, stdio command) is the owner's.
import type { Principal } from "@/server/auth/authenticate";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";

export const ownerOnly = () =>
  new ApiError("FORBIDDEN", "Only the account owner may add, refresh or delete connectors");

export async function isAccountOwner(principal: Principal): Promise<boolean> {
  const { accountId, userId, actor } = principal;
  if (actor.type === "jwt") return false;
  if (actor.type === "api_key") {
    const key = await db().apiKey.findFirst({ where: { id: actor.id, accountId }, select: { defaultUserId: true } });
    if (!key || key.defaultUserId !== userId) return false;
  } else if (actor.id !== userId) {
    return false;
  }
  const owner = await db().user.findFirst({ where: { id: userId, accountId, role: "OWNER" }, select: { id: true } });
  return owner !== null;
}

export async function requireAccountOwner(principal: Principal): Promise<void> {
  if (!(await isAccountOwner(principal))) throw ownerOnly();
}
