// GET|POST /api/api-keys — list the account's API keys, or create one (the key is in this answer only).
import { apiRoute } from "@/server/api-route";
import { requireOwner } from "@/server/services/accounts";
import { createApiKey, listApiKeys } from "@/server/services/api-keys";
import { createApiKeySchema } from "@/lib/schemas/account";

export const GET = apiRoute({ auth: "session" }, async ({ principal }) => ({
  body: { apiKeys: await listApiKeys(principal.accountId) },
}));

// A key made in the dashboard acts as the user who made it, so its servers show up in that user's list.
// A key that may act as any user is owner-only: a member holding one could act as the owner.
export const POST = apiRoute({ auth: "session", body: createApiKeySchema }, async ({ principal, body }) => {
  if (body.canActAsAnyUser) {
    await requireOwner(principal.actor.id, "Only the account owner can create a key that acts as any user");
  }
  return { status: 201, body: await createApiKey(principal.accountId, { ...body, defaultUserId: principal.userId }) };
});
