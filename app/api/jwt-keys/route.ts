// GET|POST /api/jwt-keys — list the account's JWT signing keys, or create one.
import { apiRoute } from "@/server/api-route";
import { requireOwner } from "@/server/services/accounts";
import { createJwtSigningKey, listJwtSigningKeys } from "@/server/services/jwt-keys";

export const GET = apiRoute({ auth: "session" }, async ({ principal }) => ({
  body: { jwtKeys: await listJwtSigningKeys(principal.accountId) },
}));

// Owner-only: whoever holds a signing key can sign a JWT for any end user of the account.
export const POST = apiRoute({ auth: "session", emptyBody: "allowed" }, async ({ principal }) => {
  await requireOwner(principal.actor.id, "Only the account owner can manage JWT signing keys");
  return { status: 201, body: await createJwtSigningKey(principal.accountId) };
});
