// DELETE /api/members/{id} — (owner only) remove a member: their dashboard sessions and API keys go with them.
import { apiRoute } from "@/server/api-route";
import { ApiError } from "@/server/errors";
import { removeMember } from "@/server/services/accounts";
import { idParamsSchema } from "@/lib/schemas/account";

export const DELETE = apiRoute(
  { auth: "session", params: idParamsSchema, notFound: () => new ApiError("NOT_FOUND", "Member not found") },
  async ({ principal, params }) => ({ body: await removeMember(principal.accountId, principal.actor.id, params.id) }),
);
