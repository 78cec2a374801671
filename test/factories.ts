// Test data made through the same services the product uses.
import { randomBytes } from "node:crypto";
import { createAccount } from "@/server/services/accounts";
import { createApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey, mintJwt } from "@/server/services/jwt-keys";

export async function createTenant(options: { canActAsAnyUser?: boolean } = {}) {
  const email = `owner-${randomBytes(5).toString("hex")}@example.com`;
  const { accountId, userId } = await createAccount({ email, password: "a long test password" });
  const apiKey = await createApiKey(accountId, { defaultUserId: userId, canActAsAnyUser: options.canActAsAnyUser });
  return { accountId, userId, email, key: apiKey.key, keyId: apiKey.id };
}

export async function createJwt(accountId: string, userId: string, expiresInSeconds = 600) {
  const { kid } = await createJwtSigningKey(accountId);
  const { token } = await mintJwt(kid, userId, expiresInSeconds);
  return { kid, token };
}
