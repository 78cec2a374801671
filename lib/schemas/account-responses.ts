// What the dashboard's session-only routes (API keys, JWT signing keys, members, audit log) and sign-up
// answer. server/services/jwt-keys.ts, accounts.ts and audit-log.ts declare return types from these schemas
// where the answer is built by hand; the contract tests check every answer of the test suites against the
// document generated from them. `id` names the schema's component in the document. Secrets (API key hashes,
// signing-key secrets, password hashes) are never part of an answer; a new API key is, once, on creation.
import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/schemas/account";

const EXAMPLE_TIME = "2026-11-28T09:30:00.000Z";
const timestamp = () => z.iso.datetime().meta({ description: "ISO-8601 UTC", examples: [EXAMPLE_TIME] });

const userIdSchema = z
  .string()
  .meta({ description: "Dashboard user ID", examples: ["usr_0123456789abcdef0123456789abcdef"] });
const kidSchema = z
  .string()
  .regex(/^kid_[0-9a-f]{24}$/)
  .meta({
    description: "Signing key ID: the `kid` header of the JWTs it signs",
    examples: ["kid_0123456789abcdef01234567"],
  });

export const apiKeySchema = z
  .object({
    id: z
      .string()
      .regex(/^key_[0-9a-f]{32}$/)
      .meta({ description: "API key ID (not the key)", examples: ["key_0123456789abcdef0123456789abcdef"] }),
    name: z.string().meta({ examples: ["CI deploys"] }),
    prefix: z.string().meta({ description: "The key's first characters, to recognise it", examples: ["sbk_Ab12"] }),
    lastFour: z.string().meta({ description: "The key's last four characters", examples: ["wXyZ"] }),
    defaultUserId: z.string().meta({
      description: "The end user the key acts as when no `x-alloy-userid` is sent (the dashboard user who made it)",
      examples: ["usr_0123456789abcdef0123456789abcdef"],
    }),
    canActAsAnyUser: z.boolean().meta({ description: "Whether `x-alloy-userid` may name another end user" }),
    lastUsedAt: timestamp().nullable().meta({ description: "When the key last authenticated a request, else null" }),
    revokedAt: timestamp().nullable().meta({ description: "When the key was revoked, else null" }),
    createdAt: timestamp(),
  })
  .meta({ id: "ApiKey", description: "A management API key of the account (only its hash is stored)" });

export const apiKeyListSchema = z
  .object({ apiKeys: z.array(apiKeySchema).meta({ description: "Newest first, revoked keys included" }) })
  .meta({ id: "ApiKeyList" });

export const apiKeyWithSecretSchema = apiKeySchema
  .extend({
    key: z
      .string()
      .regex(/^sbk_/)
      .meta({ description: "The API key. Shown in this answer only: store it now", examples: ["sbk_<the new key>"] }),
  })
  .meta({ id: "ApiKeyWithSecret", description: "A new API key, with the key itself (shown once)" });

export const jwtKeySchema = z
  .object({ kid: kidSchema, createdAt: timestamp(), revokedAt: timestamp().nullable() })
  .meta({ id: "JwtSigningKey", description: "An HS256 signing key of the account (its secret is never returned)" });

export const jwtKeyListSchema = z
  .object({ jwtKeys: z.array(jwtKeySchema).meta({ description: "Newest first, revoked keys included" }) })
  .meta({ id: "JwtSigningKeyList" });

export const createdJwtKeySchema = z.object({ kid: kidSchema }).meta({ id: "CreatedJwtSigningKey" });
export const revokedJwtKeySchema = z
  .object({ kid: kidSchema, revoked: z.literal(true) })
  .meta({ id: "RevokedJwtSigningKey" });

export const memberSchema = z
  .object({
    id: userIdSchema,
    email: z.email().meta({ examples: ["ada@example.com"] }),
    name: z
      .string()
      .nullable()
      .meta({ examples: ["Ada"] }),
    role: z.enum(["OWNER", "MEMBER"]),
    createdAt: timestamp(),
  })
  .meta({ id: "Member", description: "A dashboard user of the account" });

export const memberListSchema = z
  .object({ members: z.array(memberSchema).meta({ description: "Oldest first" }) })
  .meta({ id: "MemberList" });

export const removedMemberSchema = z
  .object({ message: z.literal("Member removed"), id: userIdSchema })
  .meta({ id: "RemovedMember", description: "The member, their dashboard sessions and their API keys are gone" });

export const auditEventSchema = z
  .object({
    id: z.string().meta({ examples: ["aud_0123456789abcdef0123456789abcdef"] }),
    action: z.enum(AUDIT_ACTIONS),
    serverId: z
      .string()
      .nullable()
      .meta({ description: "Kept after the server is deleted", examples: ["production-server-a1b2c3d4"] }),
    serverName: z
      .string()
      .nullable()
      .meta({ examples: ["Production Server"] }),
    actorType: z
      .enum(["session", "api_key", "jwt"])
      .meta({ description: "What authenticated the change: a dashboard user, an API key or a JWT" }),
    actorId: z
      .string()
      .meta({ description: "The user, API key or JWT subject", examples: ["usr_0123456789abcdef0123456789abcdef"] }),
    actorLabel: z
      .string()
      .meta({ description: "The dashboard user's email, else the actor's id", examples: ["ada@example.com"] }),
    oldValues: z.unknown().meta({ description: "The changed fields before the change (JSON), or null" }),
    newValues: z.unknown().meta({ description: "The changed fields after the change (JSON), or null" }),
    createdAt: timestamp(),
  })
  .meta({ id: "AuditEvent", description: "One change to a server of the account" });

export const auditPageSchema = z
  .object({
    events: z.array(auditEventSchema).meta({ description: "Newest first" }),
    count: z.number().int().min(0).meta({ description: "Events matching the filters, all pages" }),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
    hasMore: z.boolean(),
  })
  .meta({ id: "AuditPage", description: "One page of the account's audit log" });

export const signUpResultSchema = z
  .object({
    accountId: z.string().meta({ examples: ["acc_0123456789abcdef0123456789abcdef"] }),
    userId: userIdSchema,
  })
  .meta({ id: "SignUpResult", description: "The new account and its owner; sign in to use the dashboard" });

export type ApiKey = z.infer<typeof apiKeySchema>;
export type ApiKeyList = z.infer<typeof apiKeyListSchema>;
export type ApiKeyWithSecret = z.infer<typeof apiKeyWithSecretSchema>;
export type JwtKeyList = z.infer<typeof jwtKeyListSchema>;
export type CreatedJwtKey = z.infer<typeof createdJwtKeySchema>;
export type RevokedJwtKey = z.infer<typeof revokedJwtKeySchema>;
export type Member = z.infer<typeof memberSchema>;
export type MemberList = z.infer<typeof memberListSchema>;
export type RemovedMember = z.infer<typeof removedMemberSchema>;
export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
export type SignUpResult = z.infer<typeof signUpResultSchema>;
