// GET|POST /api/api-keys — list the account's API keys, or create one (the key is in this answer only).
import { apiRoute } from "@/server/api-route";
import { createApiKey, listApiKeys } from "@/server/services/api-keys";
import { createApiKeySchema } from "@/lib/schemas/account";

export const GET = apiRoute({ auth: "session" }, async ({ principal }) => ({
  body: { apiKeys: await listApiKeys(principal.accountId) },
}));

// A key made in the dashboard acts as the user who made it, so its servers show up in that user's list.
export const POST = apiRoute({ auth: "session", body: createApiKeySchema }, async ({ principal, body }) => ({
  status: 201,
  body: await createApiKey(principal.accountId, { ...body, defaultUserId: principal.userId }),
}));
