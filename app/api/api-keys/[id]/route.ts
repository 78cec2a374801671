// DELETE /api/api-keys/{id} — revoke an API key of the account (it answers 401 from then on).
import { apiRoute } from "@/server/api-route";
import { ApiError } from "@/server/errors";
import { revokeApiKey } from "@/server/services/api-keys";
import { idParamsSchema } from "@/lib/schemas/account";

export const DELETE = apiRoute(
  { auth: "session", params: idParamsSchema, notFound: () => new ApiError("NOT_FOUND", "API key not found") },
  async ({ principal, params }) => ({ body: await revokeApiKey(principal.accountId, params.id) }),
);
