-- CreateTable
CREATE TABLE "Connector" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "url" TEXT,
    "configEncrypted" TEXT,
    "command" TEXT,
    "args" JSONB,
    "credentialHeader" TEXT,
    "credentialPrefix" TEXT NOT NULL DEFAULT '',
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConnectorAction" (
    "id" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "inputSchema" JSONB NOT NULL,

    CONSTRAINT "ConnectorAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Credential" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "userKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secretEncrypted" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Credential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Connector_accountId_idx" ON "Connector"("accountId");

-- CreateIndex
CREATE INDEX "ConnectorAction_connectorId_idx" ON "ConnectorAction"("connectorId");

-- CreateIndex
CREATE UNIQUE INDEX "ConnectorAction_connectorId_actionId_key" ON "ConnectorAction"("connectorId", "actionId");

-- CreateIndex
CREATE INDEX "Credential_accountId_userKey_connectorId_idx" ON "Credential"("accountId", "userKey", "connectorId");

-- CreateIndex
CREATE INDEX "Credential_connectorId_idx" ON "Credential"("connectorId");

-- AddForeignKey
ALTER TABLE "Connector" ADD CONSTRAINT "Connector_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectorAction" ADD CONSTRAINT "ConnectorAction_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credential" ADD CONSTRAINT "Credential_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credential" ADD CONSTRAINT "Credential_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
