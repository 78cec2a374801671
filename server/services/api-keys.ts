import "server-only";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { newId, randomToken, sha256 } from "@/server/secrets";

const API_KEY_PREFIX = "sbk_";
const PREFIX_LENGTH = API_KEY_PREFIX.length + 4;

const publicFields = {
  id: true,
  name: true,
  prefix: true,
  lastFour: true,
  defaultUserId: true,
  canActAsAnyUser: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

/** Creates an API key; the key itself is returned this once and only its sha256 is kept. */
export async function createApiKey(
  accountId: string,
  input: { name?: string; defaultUserId: string; canActAsAnyUser?: boolean },
) {
  const key = randomToken(API_KEY_PREFIX);
  const row = await db().apiKey.create({
    data: {
      id: newId("key"),
      accountId,
      name: input.name ?? "API key",
      keyHash: sha256(key),
      prefix: key.slice(0, PREFIX_LENGTH),
      lastFour: key.slice(-4),
      defaultUserId: input.defaultUserId,
      canActAsAnyUser: input.canActAsAnyUser ?? false,
    },
    select: publicFields,
  });
  return { ...row, key };
}

export function listApiKeys(accountId: string) {
  return db().apiKey.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, select: publicFields });
}

/** The end user an API key of the account acts as by default (null: no such key in the account). */
export async function apiKeyUser(accountId: string, id: string): Promise<string | null> {
  const key = await db().apiKey.findFirst({ where: { id, accountId }, select: { defaultUserId: true } });
  return key?.defaultUserId ?? null;
}

export async function revokeApiKey(accountId: string, id: string) {
  const { count } = await db().apiKey.updateMany({
    where: { id, accountId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new ApiError("NOT_FOUND", "API key not found or already revoked");
  return db().apiKey.findUniqueOrThrow({ where: { id }, select: publicFields });
}
