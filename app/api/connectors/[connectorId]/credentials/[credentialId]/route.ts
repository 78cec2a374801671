// DELETE /api/connectors/{connectorId}/credentials/{credentialId} — remove one of the calling end user's credentials.
import { apiRoute } from "@/server/api-route";
import { ApiError } from "@/server/errors";
import { deleteCredential } from "@/server/services/credentials";
import { credentialParamsSchema } from "@/lib/schemas/connector";

export const DELETE = apiRoute(
  {
    params: credentialParamsSchema,
    notFound: () => new ApiError("CREDENTIAL_NOT_FOUND", "Credential not found"),
  },
  async ({ principal, params }) => ({
    body: await deleteCredential(principal.accountId, principal.userId, params.connectorId, params.credentialId),
  }),
);
