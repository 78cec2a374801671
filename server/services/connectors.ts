import "server-only";
// Connectors: upstream MCP servers registered per account, and the actions (tools) discovered on them.
// Discovery results are cached in ConnectorAction rows and replaced on refresh; the connector row keeps
// its health (lastCheckedAt, lastError) so an owner sees a broken upstream without calling it.
import { randomBytes } from "node:crypto";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Principal } from "@/server/auth/authenticate";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { type Prisma } from "@/server/generated/prisma/client";
import { listUpstreamTools, stdioAllowed, UpstreamError, type UpstreamTarget } from "@/server/mcp/upstream";
import { decryptSecret, encryptSecret, newId } from "@/server/secrets";
import type { CreateConnectorInput } from "@/lib/schemas/connector";
import type {
  Connector,
  ConnectorAction,
  ConnectorList,
  ConnectorWithActions,
  DeleteConnectorResult,
} from "@/lib/schemas/connector-responses";
import { serverIdSlug } from "@/lib/schemas/server";

export const connectorNotFound = () => new ApiError("CONNECTOR_NOT_FOUND", "Connector not found");
export const actionNotFound = () => new ApiError("ACTION_NOT_FOUND", "Action not found");

type ConnectorRow = Prisma.ConnectorGetPayload<{ include: { _count: { select: { actions: true } } } }>;
type ActionRow = Prisma.ConnectorActionGetPayload<object>;

// Every answer below is typed by the response schemas the OpenAPI document is generated from: a field added
// here but not there (or the other way round) is a type error.
function toJson(connector: ConnectorRow): Connector {
  return {
    connectorId: connector.id,
    name: connector.name,
    transport: connector.transport === "stdio" ? "stdio" : "http",
    url: connector.url,
    // Header values are secrets: only their names are ever shown again.
    headerNames: Object.keys(configOf(connector).headers ?? {}),
    envNames: Object.keys(configOf(connector).env ?? {}),
    command: connector.command,
    args: (connector.args as string[] | null) ?? null,
    credentialHeader: connector.credentialHeader,
    actionCount: connector._count.actions,
    health: {
      status: connector.lastCheckedAt === null ? "unknown" : connector.lastError ? "error" : "ok",
      lastCheckedAt: connector.lastCheckedAt?.toISOString() ?? null,
      lastError: connector.lastError,
    },
    createdAt: connector.createdAt.toISOString(),
    updatedAt: connector.updatedAt.toISOString(),
  };
}

export function actionToJson(action: ActionRow): ConnectorAction {
  return {
    connectorId: action.connectorId,
    actionId: action.actionId,
    title: action.title,
    description: action.description,
    inputSchema: action.inputSchema as Record<string, unknown>,
  };
}

type SecretConfig = { headers?: Record<string, string>; env?: Record<string, string> };

function configOf(connector: { configEncrypted: string | null }): SecretConfig {
  return connector.configEncrypted ? (JSON.parse(decryptSecret(connector.configEncrypted)) as SecretConfig) : {};
}

/** How to reach the connector, with the end user's credential header added when there is one. */
export function upstreamTarget(connector: Prisma.ConnectorGetPayload<object>, credential?: string): UpstreamTarget {
  if (connector.transport === "stdio") {
    return {
      transport: "stdio",
      command: connector.command ?? "",
      args: (connector.args as string[] | null) ?? [],
      env: configOf(connector).env ?? {},
    };
  }
  const headers = { ...configOf(connector).headers };
  if (credential !== undefined && connector.credentialHeader) {
    headers[connector.credentialHeader] = `${connector.credentialPrefix}${credential}`;
  }
  return { transport: "http", url: connector.url ?? "", headers };
}

const include = { _count: { select: { actions: true } } } as const;

export async function createConnector(
  principal: Principal,
  input: CreateConnectorInput,
): Promise<ConnectorWithActions> {
  if (input.command !== undefined && !stdioAllowed()) {
    throw new ApiError("INVALID_REQUEST", "stdio connectors are disabled on this installation", {
      issues: [{ path: "command", message: "Set CONNECTORS_ALLOW_STDIO=true to allow stdio connectors" }],
    });
  }
  const id = `${serverIdSlug(input.name)}-${randomBytes(4).toString("hex")}`;
  await db().connector.create({
    data: {
      id,
      accountId: principal.accountId,
      name: input.name,
      transport: input.command !== undefined ? "stdio" : "http",
      url: input.url ?? null,
      configEncrypted:
        input.headers || input.env ? encryptSecret(JSON.stringify({ headers: input.headers, env: input.env })) : null,
      command: input.command ?? null,
      args: input.args ?? [],
      credentialHeader: input.credentialHeader?.toLowerCase() ?? null,
      credentialPrefix: input.credentialPrefix ?? "",
    },
  });
  // Discovery right away, so the answer already shows the actions or why there are none.
  return refreshConnector(principal.accountId, id);
}

export async function listConnectors(accountId: string): Promise<ConnectorList> {
  const rows = await db().connector.findMany({ where: { accountId }, include, orderBy: { createdAt: "asc" } });
  return { connectors: rows.map(toJson), count: rows.length };
}

export async function findConnector(accountId: string, connectorId: string) {
  const connector = await db().connector.findFirst({ where: { id: connectorId, accountId } });
  if (!connector) throw connectorNotFound();
  return connector;
}

export async function getConnector(accountId: string, connectorId: string): Promise<ConnectorWithActions> {
  const connector = await db().connector.findFirst({ where: { id: connectorId, accountId }, include });
  if (!connector) throw connectorNotFound();
  const actions = await db().connectorAction.findMany({ where: { connectorId }, orderBy: { actionId: "asc" } });
  return { ...toJson(connector), actions: actions.map(actionToJson) };
}

export async function deleteConnector(accountId: string, connectorId: string): Promise<DeleteConnectorResult> {
  const { count } = await db().connector.deleteMany({ where: { id: connectorId, accountId } });
  if (count === 0) throw connectorNotFound();
  return { message: "Connector deleted", connectorId };
}

/**
 * Asks the upstream for its tools and replaces the cached actions. A failing upstream keeps the last
 * good cache and records the error as the connector's health instead of failing the request. A connector
 * deleted while the upstream was being asked (discovery can take CONNECTOR_TIMEOUT_MS) is
 * CONNECTOR_NOT_FOUND, not a database error: its row is updated first, under its lock, and only if it
 * is still there are the actions replaced.
 */
export async function refreshConnector(accountId: string, connectorId: string): Promise<ConnectorWithActions> {
  const connector = await findConnector(accountId, connectorId);
  const checkedAt = new Date();
  let tools: Tool[] | null = null;
  let lastError: string | null = null;
  try {
    tools = await listUpstreamTools(upstreamTarget(connector));
  } catch (error) {
    lastError = error instanceof UpstreamError ? error.message : "discovery failed";
  }
  await db().$transaction(async (tx) => {
    const { count } = await tx.connector.updateMany({
      where: { id: connectorId, accountId },
      data: { lastCheckedAt: checkedAt, lastError },
    });
    if (count === 0) throw connectorNotFound();
    if (!tools) return;
    await tx.connectorAction.deleteMany({ where: { connectorId } });
    if (tools.length) {
      await tx.connectorAction.createMany({
        data: tools.map((tool) => ({
          id: newId("act"),
          connectorId,
          actionId: tool.name,
          title: tool.title ?? tool.annotations?.title ?? "",
          description: tool.description ?? "",
          inputSchema: tool.inputSchema as Prisma.InputJsonValue,
        })),
        skipDuplicates: true,
      });
    }
  });
  return getConnector(accountId, connectorId);
}

/** Every connector of the account with its cached actions: what the MCP tools filter by restrictions. */
export async function catalogOf(accountId: string) {
  return db().connector.findMany({
    where: { accountId },
    include: { actions: { orderBy: { actionId: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
}
