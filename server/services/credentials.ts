import "server-only";
// End users' secrets for connectors. They belong to (account, end user, connector) and to no server,
// so deleting a server keeps them. Values are encrypted with APP_SECRET and never returned.
import { ApiError } from "@/server/errors";
import { db } from "@/server/db";
import { findConnector } from "@/server/services/connectors";
import { decryptSecret, encryptSecret, newId, sha256 } from "@/server/secrets";
import type { CreateCredentialInput } from "@/lib/schemas/connector";
import type { Credential, DeleteCredentialResult } from "@/lib/schemas/connector-responses";

type CredentialRow = { id: string; connectorId: string; name: string; createdAt: Date };

// Typed by the response schemas the OpenAPI document is generated from, so the two cannot drift.
const toJson = (row: CredentialRow): Credential => ({
  credentialId: row.id,
  connectorId: row.connectorId,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
});

const scope = (accountId: string, userId: string) => ({ accountId, userKey: sha256(userId), userId });

export async function createCredential(
  accountId: string,
  userId: string,
  connectorId: string,
  input: CreateCredentialInput,
): Promise<Credential> {
  const connector = await findConnector(accountId, connectorId);
  const row = await db().credential.create({
    data: {
      id: newId("cred"),
      ...scope(accountId, userId),
      connectorId: connector.id,
      name: input.name ?? `${connector.name} credential`,
      secretEncrypted: encryptSecret(input.value),
    },
  });
  return toJson(row);
}

export async function listCredentials(accountId: string, userId: string, connectorId?: string): Promise<Credential[]> {
  const rows = await db().credential.findMany({
    where: { ...scope(accountId, userId), ...(connectorId ? { connectorId } : {}) },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toJson);
}

export async function deleteCredential(
  accountId: string,
  userId: string,
  connectorId: string,
  credentialId: string,
): Promise<DeleteCredentialResult> {
  const { count } = await db().credential.deleteMany({
    where: { id: credentialId, connectorId, ...scope(accountId, userId) },
  });
  if (count === 0) throw new ApiError("CREDENTIAL_NOT_FOUND", "Credential not found");
  return { message: "Credential deleted", credentialId };
}

/** The secret to send upstream: the chosen credential, else the user's newest one for the connector. */
export async function credentialSecret(
  accountId: string,
  userId: string,
  connectorId: string,
  credentialId?: string,
): Promise<string | undefined> {
  const row = await db().credential.findFirst({
    where: { ...scope(accountId, userId), connectorId, ...(credentialId ? { id: credentialId } : {}) },
    orderBy: { createdAt: "desc" },
  });
  if (!row) {
    if (credentialId) throw new ApiError("CREDENTIAL_NOT_FOUND", "Credential not found");
    return undefined;
  }
  return decryptSecret(row.secretEncrypted);
}
