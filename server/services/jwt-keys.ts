import "server-only";
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { decryptSecret, encryptSecret, newId } from "@/server/secrets";
import { type CreatedJwtKey, type RevokedJwtKey } from "@/lib/schemas/account-responses";

/** Creates an HS256 signing key for the account. The secret is kept encrypted under APP_SECRET. */
export async function createJwtSigningKey(accountId: string): Promise<CreatedJwtKey> {
  const kid = `kid_${randomBytes(12).toString("hex")}`;
  await db().jwtSigningKey.create({
    data: { id: newId("jwk"), accountId, kid, secretEncrypted: encryptSecret(randomBytes(32).toString("base64url")) },
  });
  return { kid };
}

export function listJwtSigningKeys(accountId: string) {
  return db().jwtSigningKey.findMany({
    where: { accountId },
    orderBy: { createdAt: "desc" },
    select: { kid: true, createdAt: true, revokedAt: true },
  });
}

export async function revokeJwtSigningKey(accountId: string, kid: string): Promise<RevokedJwtKey> {
  const { count } = await db().jwtSigningKey.updateMany({
    where: { kid, accountId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new ApiError("NOT_FOUND", "Signing key not found or already revoked");
  return { kid, revoked: true };
}

/** Mints an end-user JWT the way an account's backend would: HS256, kid header, userId + sub, exp. */
export async function mintJwt(kid: string, userId: string, expiresInSeconds: number) {
  const key = await db().jwtSigningKey.findUnique({ where: { kid } });
  if (!key || key.revokedAt) throw new ApiError("NOT_FOUND", `No active signing key ${kid}`);
  const token = await new SignJWT({ userId })
    .setProtectedHeader({ alg: "HS256", kid })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(Buffer.from(decryptSecret(key.secretEncrypted), "utf8"));
  return { token };
}
