// Test data made through the same services the product uses.
import { randomBytes } from "node:crypto";
import { createAccount } from "@/server/services/accounts";
import { createApiKey } from "@/server/services/api-keys";
import { createJwtSigningKey, mintJwt } from "@/server/services/jwt-keys";
import { db } from "@/server/db";
import { newId } from "@/server/secrets";
import { call } from "@/test/route-client";

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

/**
 * A server with rows in every per-server table, made through the API where it can be (the server, its
 * restrictions, a token rotation) and straight into the tables where only MCP traffic would make them:
 * `scale` sessions, 3 × `scale` tool calls, `scale` end-user bindings.
 */
export async function seedServerWithRows(headers: Record<string, string>, name: string, scale: number) {
  const created = await call("POST", "/api/servers", {
    headers,
    body: {
      name,
      restrictions: {
        connectors: { mode: "allowlist", allowedIds: ["slack", "github"], blockedIds: ["jira"] },
        actions: { mode: "blocklist", blockedActions: ["slack:delete"] },
        users: { mode: "allowlist", allowedIds: Array.from({ length: scale }, (_, i) => `user-${i}`) },
      },
    },
  });
  if (created.status !== 201) throw new Error(`seeding ${name}: ${created.status} ${created.text}`);
  const serverId = created.body.serverId as string;
  const rotated = await call("POST", `/api/servers/${serverId}/token`, { headers, body: { graceSeconds: 600 } });
  if (rotated.status !== 200) throw new Error(`seeding ${name}: rotation ${rotated.status} ${rotated.text}`);

  const sessions = Array.from({ length: scale }, () => ({ id: newId("ses"), serverId, userId: "end-user" }));
  await db().mcpSession.createMany({ data: sessions });
  await db().toolCall.createMany({
    data: Array.from({ length: scale * 3 }, (_, i) => ({
      id: newId("tc"),
      serverId,
      sessionId: i % 3 === 0 ? null : sessions[i % scale]!.id,
      userId: "end-user",
      connectorId: "slack",
      actionId: "post_message",
      toolName: "slack__post_message",
      status: i % 5 === 0 ? "error" : "ok",
      durationMs: i,
    })),
  });
  await db().serverUserBinding.createMany({
    data: Array.from({ length: scale }, (_, i) => ({
      id: newId("sub"),
      serverId,
      userId: `user-${i}`,
      userKey: `key-${i}`,
    })),
  });
  return serverId;
}
