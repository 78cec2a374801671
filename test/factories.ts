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

/** The dashboard's session cookie for a user, as next-auth would set it after sign-in. */
export async function sessionCookie(userId: string, options: { maxAgeSeconds?: number; secret?: string } = {}) {
  const { encode } = await import("next-auth/jwt");
  const { nextAuthSecret } = await import("@/server/secrets");
  const token = await encode({
    token: { sub: userId },
    secret: options.secret ?? nextAuthSecret(),
    maxAge: options.maxAgeSeconds ?? 3600,
  });
  return `next-auth.session-token=${token}`;
}

/** Headers of a same-origin dashboard request (PUBLIC_BASE_URL is http://switchboard.test in tests). */
export const browser = (cookie: string, origin = "http://switchboard.test") => ({ cookie, origin });
