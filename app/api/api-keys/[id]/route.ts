// DELETE /api/api-keys/{id} — revoke an API key of the account (it answers 401 from then on).
import { apiRoute } from "@/server/api-route";
import { ApiError } from "@/server/errors";
import { requireOwner } from "@/server/services/accounts";
import { apiKeyUser, revokeApiKey } from "@/server/services/api-keys";
import { idParamsSchema } from "@/lib/schemas/account";

export const DELETE = apiRoute(
  { auth: "session", params: idParamsSchema, notFound: () => new ApiError("NOT_FOUND", "API key not found") },
  // A member revokes their own keys; the owner any key of the account.
  async ({ principal, params }) => {
    const keyUser = await apiKeyUser(principal.accountId, params.id);
    if (keyUser !== null && keyUser !== principal.userId) {
      await requireOwner(principal.actor.id, "Only the account owner can revoke another user's API key");
    }
    return { body: await revokeApiKey(principal.accountId, params.id) };
  },
);
