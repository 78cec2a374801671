-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('OWNER', 'MEMBER');

-- CreateEnum
CREATE TYPE "RestrictionDimension" AS ENUM ('connectors', 'actions', 'users');

-- CreateEnum
CREATE TYPE "RestrictionMode" AS ENUM ('allowlist', 'blocklist');

-- CreateEnum
CREATE TYPE "RestrictionList" AS ENUM ('allowed', 'blocked');

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'OWNER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "lastFour" TEXT NOT NULL,
    "defaultUserId" TEXT NOT NULL,
    "canActAsAnyUser" BOOLEAN NOT NULL DEFAULT false,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JwtSigningKey" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "secretEncrypted" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JwtSigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "McpServer" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "ownerUserId" TEXT NOT NULL,
    "ownerKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "customInstructions" TEXT NOT NULL DEFAULT '',
    "isPublic" BOOLEAN NOT NULL DEFAULT false,
    "mode" TEXT NOT NULL DEFAULT 'connectivity',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "McpServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerAccessToken" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "graceUntil" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerRestriction" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "dimension" "RestrictionDimension" NOT NULL,
    "mode" "RestrictionMode" NOT NULL,

    CONSTRAINT "ServerRestriction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerRestrictionValue" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "restrictionId" TEXT NOT NULL,
    "list" "RestrictionList" NOT NULL,
    "position" INTEGER NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "ServerRestrictionValue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "McpSession" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "McpSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ToolCall" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "sessionId" TEXT,
    "userId" TEXT NOT NULL,
    "connectorId" TEXT,
    "actionId" TEXT,
    "toolName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerUserBinding" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userKey" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerUserBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "serverId" TEXT,
    "serverName" TEXT,
    "oldValues" JSONB,
    "newValues" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_accountId_idx" ON "User"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_accountId_idx" ON "ApiKey"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "JwtSigningKey_kid_key" ON "JwtSigningKey"("kid");

-- CreateIndex
CREATE INDEX "JwtSigningKey_accountId_idx" ON "JwtSigningKey"("accountId");

-- CreateIndex
CREATE INDEX "McpServer_accountId_ownerKey_createdAt_idx" ON "McpServer"("accountId", "ownerKey", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "McpServer_accountId_ownerKey_nameKey_key" ON "McpServer"("accountId", "ownerKey", "nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "ServerAccessToken_tokenHash_key" ON "ServerAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ServerAccessToken_serverId_idx" ON "ServerAccessToken"("serverId");

-- CreateIndex
CREATE INDEX "ServerRestriction_serverId_idx" ON "ServerRestriction"("serverId");

-- CreateIndex
CREATE UNIQUE INDEX "ServerRestriction_serverId_dimension_key" ON "ServerRestriction"("serverId", "dimension");

-- CreateIndex
CREATE INDEX "ServerRestrictionValue_serverId_idx" ON "ServerRestrictionValue"("serverId");

-- CreateIndex
CREATE INDEX "ServerRestrictionValue_restrictionId_list_position_idx" ON "ServerRestrictionValue"("restrictionId", "list", "position");

-- CreateIndex
CREATE INDEX "McpSession_serverId_idx" ON "McpSession"("serverId");

-- CreateIndex
CREATE INDEX "ToolCall_serverId_createdAt_idx" ON "ToolCall"("serverId", "createdAt");

-- CreateIndex
CREATE INDEX "ToolCall_sessionId_idx" ON "ToolCall"("sessionId");

-- CreateIndex
CREATE INDEX "ServerUserBinding_serverId_idx" ON "ServerUserBinding"("serverId");

-- CreateIndex
CREATE UNIQUE INDEX "ServerUserBinding_serverId_userKey_key" ON "ServerUserBinding"("serverId", "userKey");

-- CreateIndex
CREATE INDEX "AuditEvent_accountId_createdAt_idx" ON "AuditEvent"("accountId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_accountId_serverId_idx" ON "AuditEvent"("accountId", "serverId");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JwtSigningKey" ADD CONSTRAINT "JwtSigningKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpServer" ADD CONSTRAINT "McpServer_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerAccessToken" ADD CONSTRAINT "ServerAccessToken_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerRestriction" ADD CONSTRAINT "ServerRestriction_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerRestrictionValue" ADD CONSTRAINT "ServerRestrictionValue_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerRestrictionValue" ADD CONSTRAINT "ServerRestrictionValue_restrictionId_fkey" FOREIGN KEY ("restrictionId") REFERENCES "ServerRestriction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpSession" ADD CONSTRAINT "McpSession_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolCall" ADD CONSTRAINT "ToolCall_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolCall" ADD CONSTRAINT "ToolCall_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "McpSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerUserBinding" ADD CONSTRAINT "ServerUserBinding_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

