// GET|POST /api/connectors — list the account's connectors, or register an upstream MCP server (discovers its actions; account owner only).
import { apiRoute } from "@/server/api-route";
import { createConnector, listConnectors } from "@/server/services/connectors";
import { createConnectorSchema } from "@/lib/schemas/connector";

export const GET = apiRoute({}, async ({ principal }) => ({ body: await listConnectors(principal) }));

export const POST = apiRoute({ body: createConnectorSchema }, async ({ principal, body }) => ({
  status: 201,
  body: await createConnector(principal, body),
}));
