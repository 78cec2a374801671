// GET|POST /api/connectors/{connectorId}/credentials — the calling end user's credentials for a connector (values never shown).
import { apiRoute } from "@/server/api-route";
import { connectorNotFound, findConnector } from "@/server/services/connectors";
import { createCredential, listCredentials } from "@/server/services/credentials";
import { connectorParamsSchema, createCredentialSchema } from "@/lib/schemas/connector";
import type { CredentialList } from "@/lib/schemas/connector-responses";

export const GET = apiRoute(
  { params: connectorParamsSchema, notFound: connectorNotFound },
  async ({ principal, params }) => {
    await findConnector(principal.accountId, params.connectorId);
    const credentials = await listCredentials(principal.accountId, principal.userId, params.connectorId);
    return { body: { credentials, count: credentials.length } satisfies CredentialList };
  },
);

export const POST = apiRoute(
  { params: connectorParamsSchema, notFound: connectorNotFound, body: createCredentialSchema },
  async ({ principal, params, body }) => ({
    status: 201,
    body: await createCredential(principal.accountId, principal.userId, params.connectorId, body),
  }),
);
