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
import { stdioCommands } from "@/server/config";
import { listUpstreamTools, UpstreamError, type UpstreamTarget } from "@/server/mcp/upstream";
import { checkToolCatalog } from "@/server/outbound/tool-catalog-limits";
import { isAccountOwner, requireAccountOwner } from "@/server/services/connector-access";
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

/** The URL with its userinfo and every query value (and any fragment) masked: they often carry secrets. */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "***";
  }
  if (parsed.username) parsed.username = "***";
  if (parsed.password) parsed.password = "***";
  if (parsed.search) {
    const keys = [...parsed.searchParams.keys()];
    parsed.search = keys.map((key) => `${encodeURIComponent(key)}=***`).join("&");
  }
  if (parsed.hash) parsed.hash = "***";
  return parsed.toString();
}

// Every answer below is typed by the response schemas the OpenAPI document is generated from: a field added
// here but not there (or the other way round) is a type error. What a connector reaches and how is shown to
// the account owner only (issue #12, finding 3); secrets (header values, stdio arguments and environment)
// to nobody.
function toJson(connector: ConnectorRow, ownerView: boolean): Connector {
  return {
    connectorId: connector.id,
    name: connector.name,
    transport: connector.transport === "stdio" ? "stdio" : "http",
    ...(ownerView
      ? {
          url: connector.url === null ? null : maskUrl(connector.url),
          headerNames: Object.keys(configOf(connector).headers ?? {}),
          stdioCommand: connector.transport === "stdio" ? connector.command : null,
          credentialHeader: connector.credentialHeader,
        }
      : {}),
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

type SecretConfig = { headers?: Record<string, string> };

function configOf(connector: { configEncrypted: string | null }): SecretConfig {
  return connector.configEncrypted ? (JSON.parse(decryptSecret(connector.configEncrypted)) as SecretConfig) : {};
}

/** How to reach the connector, with the end user's credential header added when there is one. */
export function upstreamTarget(connector: Prisma.ConnectorGetPayload<object>, credential?: string): UpstreamTarget {
  if (connector.transport === "stdio") {
    // Looked up at every use: a command the operator took off the list stops working at once. Connectors
    // made before the list existed hold a command line, not a name, and so never run.
    const entry = Object.hasOwn(stdioCommands(), connector.command ?? "")
      ? stdioCommands()[connector.command!]
      : undefined;
    if (!entry) throw new UpstreamError("the connector's stdio command is not on the operator's list");
    return { transport: "stdio", entry };
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
  await requireAccountOwner(principal);
  if (input.stdioCommand !== undefined && !Object.hasOwn(stdioCommands(), input.stdioCommand)) {
    throw new ApiError("INVALID_REQUEST", "Not a stdio command of this installation", {
      issues: [
        {
          path: "stdioCommand",
          message: "Must name one of the commands the operator lists in CONNECTORS_STDIO_COMMANDS",
        },
      ],
    });
  }
  const id = `${serverIdSlug(input.name)}-${randomBytes(4).toString("hex")}`;
  await db().connector.create({
    data: {
      id,
      accountId: principal.accountId,
      name: input.name,
      transport: input.stdioCommand !== undefined ? "stdio" : "http",
      url: input.url ?? null,
      configEncrypted: input.headers ? encryptSecret(JSON.stringify({ headers: input.headers })) : null,
      // stdio: the name of the operator's command; its arguments and environment stay in the operator's list.
      command: input.stdioCommand ?? null,
      args: [],
      credentialHeader: input.credentialHeader?.toLowerCase() ?? null,
      credentialPrefix: input.credentialPrefix ?? "",
    },
  });
  // Discovery right away, so the answer already shows the actions or why there are none.
  return discover(principal.accountId, id, true);
}

export async function listConnectors(principal: Principal): Promise<ConnectorList> {
  const ownerView = await isAccountOwner(principal);
  const rows = await db().connector.findMany({
    where: { accountId: principal.accountId },
    include,
    orderBy: { createdAt: "asc" },
  });
  return { connectors: rows.map((row) => toJson(row, ownerView)), count: rows.length };
}

export async function findConnector(accountId: string, connectorId: string) {
  const connector = await db().connector.findFirst({ where: { id: connectorId, accountId } });
  if (!connector) throw connectorNotFound();
  return connector;
}

export async function getConnector(principal: Principal, connectorId: string): Promise<ConnectorWithActions> {
  return connectorWithActions(principal.accountId, connectorId, await isAccountOwner(principal));
}

async function connectorWithActions(accountId: string, connectorId: string, ownerView: boolean) {
  const connector = await db().connector.findFirst({ where: { id: connectorId, accountId }, include });
  if (!connector) throw connectorNotFound();
  const actions = await db().connectorAction.findMany({ where: { connectorId }, orderBy: { actionId: "asc" } });
  return { ...toJson(connector, ownerView), actions: actions.map(actionToJson) };
}

export async function deleteConnector(principal: Principal, connectorId: string): Promise<DeleteConnectorResult> {
  const { accountId } = principal;
  // Another account's connector is reported like a missing one before the role is looked at.
  await findConnector(accountId, connectorId);
  await requireAccountOwner(principal);
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
export async function refreshConnector(principal: Principal, connectorId: string): Promise<ConnectorWithActions> {
  await findConnector(principal.accountId, connectorId);
  await requireAccountOwner(principal);
  return discover(principal.accountId, connectorId, true);
}

async function discover(accountId: string, connectorId: string, ownerView: boolean): Promise<ConnectorWithActions> {
  const connector = await findConnector(accountId, connectorId);
  const checkedAt = new Date();
  let tools: Tool[] | null = null;
  let lastError: string | null = null;
  try {
    tools = await listUpstreamTools(upstreamTarget(connector));
    checkToolCatalog(tools);
  } catch (error) {
    tools = null;
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
  return connectorWithActions(accountId, connectorId, ownerView);
}

type Catalog = Prisma.ConnectorGetPayload<{ include: { actions: true } }>[];

// The catalog of an account, kept in process memory and reloaded only when one of its connectors changed
// (issue #12, finding 6: every tools/list and tools/call used to read every action of every connector
// from the database). Its version is what each request reads instead: the ids and updatedAt of the
// account's connectors (a create, a refresh and a delete each change it; discovery bumps updatedAt in the
// transaction that replaces the actions), so replicas never serve a catalog older than one request.
// Least recently used accounts leave first; the catalogs' size is bounded by the discovery caps.
const CATALOG_CACHE_ACCOUNTS = 100;
const catalogs = new Map<string, { version: string; catalog: Catalog }>();

const versionOf = (rows: { id: string; updatedAt: Date }[]) =>
  rows.map((row) => `${row.id}@${row.updatedAt.getTime()}`).join(",");

/** Every connector of the account with its cached actions: what the MCP tools filter by restrictions. */
export async function catalogOf(accountId: string): Promise<Catalog> {
  const current = versionOf(
    await db().connector.findMany({
      where: { accountId },
      select: { id: true, updatedAt: true },
      orderBy: { createdAt: "asc" },
    }),
  );
  const cached = catalogs.get(accountId);
  if (cached && cached.version === current) {
    catalogs.delete(accountId);
    catalogs.set(accountId, cached);
    return cached.catalog;
  }
  const catalog = await db().connector.findMany({
    where: { accountId },
    include: { actions: { orderBy: { actionId: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  catalogs.delete(accountId);
  catalogs.set(accountId, { version: versionOf(catalog), catalog });
  while (catalogs.size > CATALOG_CACHE_ACCOUNTS) catalogs.delete(catalogs.keys().next().value!);
  return catalog;
}
