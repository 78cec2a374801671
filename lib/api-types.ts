// The JSON the REST API answers (docs/api.md), as the dashboard reads it.
import type { Restrictions } from "@/lib/schemas/server";

export type Server = {
  serverId: string;
  name: string;
  description: string;
  customInstructions: string;
  mode: string;
  isPublic: boolean;
  url: string;
  restrictions: Restrictions;
  hasRestrictions: boolean;
  tokenExpiresAt: string | null;
  tokenHint: string | null;
  liveTokens: LiveToken[];
  createdAt: string;
  updatedAt: string;
};

/** An access token that works now: the current one (graceUntil null) or one in a rotation's grace period. */
export type LiveToken = { tokenHint: string; expiresAt: string; graceUntil: string | null };

export type ServerWithToken = Server & { accessToken: string; accessUrl: string };

export type ServerPage = { servers: Server[]; count: number; limit: number; offset: number; hasMore: boolean };

export type DeleteImpact = {
  accessTokens: number;
  restrictions: number;
  restrictionValues: number;
  sessions: number;
  toolCalls: number;
  userBindings: number;
};

export type DeletePreview = { dryRun: true; serverId: string; name: string; impact: DeleteImpact };

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  lastFour: string;
  defaultUserId: string;
  canActAsAnyUser: boolean;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

export type JwtKey = { kid: string; createdAt: string; revokedAt: string | null };

export type Member = { id: string; email: string; name: string | null; role: "OWNER" | "MEMBER"; createdAt: string };

export type AuditEvent = {
  id: string;
  action: string;
  serverId: string | null;
  serverName: string | null;
  actorType: string;
  actorId: string;
  actorLabel: string;
  oldValues: unknown;
  newValues: unknown;
  createdAt: string;
};

export type AuditPage = { events: AuditEvent[]; count: number; limit: number; offset: number; hasMore: boolean };
