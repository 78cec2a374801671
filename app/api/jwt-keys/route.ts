// GET|POST /api/jwt-keys — list the account's JWT signing keys, or create one.
import { apiRoute } from "@/server/api-route";
import { createJwtSigningKey, listJwtSigningKeys } from "@/server/services/jwt-keys";

export const GET = apiRoute({ auth: "session" }, async ({ principal }) => ({
  body: { jwtKeys: await listJwtSigningKeys(principal.accountId) },
}));

export const POST = apiRoute({ auth: "session", emptyBody: "allowed" }, async ({ principal }) => ({
  status: 201,
  body: await createJwtSigningKey(principal.accountId),
}));
