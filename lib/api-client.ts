// Typed fetchers for the REST API, used by the dashboard through react-query. The browser's session
// cookie authenticates them; errors arrive as the API's envelope and are thrown as ApiClientError.
import type {
  ApiKey,
  AuditPage,
  DeletePreview,
  JwtKey,
  Member,
  Server,
  ServerPage,
  ServerWithToken,
} from "@/lib/api-types";
import type { CreateConnectorInput, CreateCredentialInput } from "@/lib/schemas/connector";
import type {
  ConnectorList,
  ConnectorWithActions,
  Credential,
  CredentialList,
  DeleteConnectorResult,
  DeleteCredentialResult,
} from "@/lib/schemas/connector-responses";
import type { CreateServerInput, RotateTokenInput, UpdateServerInput } from "@/lib/schemas/server";

export type ApiIssue = { path: string; message: string };

/** An error answer of the API: its code (docs/api.md section 4), message, HTTP status and details. */
export class ApiClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: { issues?: ApiIssue[]; field?: string } & Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

type Envelope = { error?: { code?: string; message?: string; details?: ApiClientError["details"] } };

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiClientError("NETWORK_ERROR", "Could not reach the server. Check your connection.", 0);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below
  }
  if (!response.ok) {
    const error = (json as Envelope | null)?.error;
    throw new ApiClientError(
      error?.code ?? "INTERNAL_ERROR",
      error?.message ?? `Request failed (${response.status})`,
      response.status,
      error?.details,
    );
  }
  return json as T;
}

const enc = encodeURIComponent;

export type ServerListParams = { limit: number; offset: number; q?: string; order?: "newest" | "oldest" };

export const api = {
  listServers: ({ limit, offset, q, order }: ServerListParams) => {
    const search = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (q) search.set("q", q);
    if (order) search.set("order", order);
    return apiFetch<ServerPage>(`/api/servers?${search.toString()}`);
  },
  getServer: (id: string) => apiFetch<Server>(`/api/servers/${enc(id)}`),
  createServer: (body: CreateServerInput) => apiFetch<ServerWithToken>("/api/servers", { method: "POST", body }),
  updateServer: (id: string, body: UpdateServerInput) =>
    apiFetch<Server>(`/api/servers/${enc(id)}`, { method: "PUT", body }),
  rotateToken: (id: string, body: RotateTokenInput) =>
    apiFetch<ServerWithToken>(`/api/servers/${enc(id)}/token`, { method: "POST", body }),
  revokeAllTokens: (id: string) => apiFetch<Server>(`/api/servers/${enc(id)}/token`, { method: "DELETE" }),
  previewDelete: (id: string) => apiFetch<DeletePreview>(`/api/servers/${enc(id)}?dryRun=true`, { method: "DELETE" }),
  deleteServer: (id: string) =>
    apiFetch<{ message: string; serverId: string }>(`/api/servers/${enc(id)}`, { method: "DELETE" }),

  listConnectors: () => apiFetch<ConnectorList>("/api/connectors"),
  getConnector: (id: string) => apiFetch<ConnectorWithActions>(`/api/connectors/${enc(id)}`),
  createConnector: (body: CreateConnectorInput) =>
    apiFetch<ConnectorWithActions>("/api/connectors", { method: "POST", body }),
  refreshConnector: (id: string) =>
    apiFetch<ConnectorWithActions>(`/api/connectors/${enc(id)}/refresh`, { method: "POST" }),
  deleteConnector: (id: string) => apiFetch<DeleteConnectorResult>(`/api/connectors/${enc(id)}`, { method: "DELETE" }),
  listCredentials: (connectorId: string) => apiFetch<CredentialList>(`/api/connectors/${enc(connectorId)}/credentials`),
  createCredential: (connectorId: string, body: CreateCredentialInput) =>
    apiFetch<Credential>(`/api/connectors/${enc(connectorId)}/credentials`, { method: "POST", body }),
  deleteCredential: (connectorId: string, credentialId: string) =>
    apiFetch<DeleteCredentialResult>(`/api/connectors/${enc(connectorId)}/credentials/${enc(credentialId)}`, {
      method: "DELETE",
    }),

  listApiKeys: () => apiFetch<{ apiKeys: ApiKey[] }>("/api/api-keys"),
  createApiKey: (body: { name: string; canActAsAnyUser?: boolean }) =>
    apiFetch<ApiKey & { key: string }>("/api/api-keys", { method: "POST", body }),
  revokeApiKey: (id: string) => apiFetch<ApiKey>(`/api/api-keys/${enc(id)}`, { method: "DELETE" }),
  listJwtKeys: () => apiFetch<{ jwtKeys: JwtKey[] }>("/api/jwt-keys"),
  createJwtKey: () => apiFetch<{ kid: string }>("/api/jwt-keys", { method: "POST" }),
  revokeJwtKey: (kid: string) => apiFetch<{ kid: string }>(`/api/jwt-keys/${enc(kid)}`, { method: "DELETE" }),
  listMembers: () => apiFetch<{ members: Member[] }>("/api/members"),
  addMember: (body: { email: string; password: string; name?: string }) =>
    apiFetch<Member>("/api/members", { method: "POST", body }),
  removeMember: (id: string) =>
    apiFetch<{ message: string; id: string }>(`/api/members/${enc(id)}`, { method: "DELETE" }),
  listAudit: (params: { limit: number; offset: number; serverId?: string; action?: string; q?: string }) => {
    const search = new URLSearchParams({ limit: String(params.limit), offset: String(params.offset) });
    for (const key of ["serverId", "action", "q"] as const) {
      const value = params[key];
      if (value) search.set(key, value);
    }
    return apiFetch<AuditPage>(`/api/audit?${search.toString()}`);
  },
  signUp: (body: { email: string; password: string; name?: string }) =>
    apiFetch<{ accountId: string; userId: string }>("/api/signup", { method: "POST", body }),
};

/** A message fit for a toast. */
export const errorMessage = (error: unknown) =>
  error instanceof Error ? error.message : "Something went wrong. Please try again.";
