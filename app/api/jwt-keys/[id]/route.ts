// DELETE /api/jwt-keys/{kid} — revoke a JWT signing key (tokens it signed answer 401 from then on).
import { apiRoute } from "@/server/api-route";
import { ApiError } from "@/server/errors";
import { requireOwner } from "@/server/services/accounts";
import { revokeJwtSigningKey } from "@/server/services/jwt-keys";
import { idParamsSchema } from "@/lib/schemas/account";

export const DELETE = apiRoute(
  { auth: "session", params: idParamsSchema, notFound: () => new ApiError("NOT_FOUND", "Signing key not found") },
  async ({ principal, params }) => {
    await requireOwner(principal.actor.id, "Only the account owner can manage JWT signing keys");
    return { body: await revokeJwtSigningKey(principal.accountId, params.id) };
  },
);
