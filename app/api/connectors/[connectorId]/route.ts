// GET|DELETE /api/connectors/{connectorId} — read a connector with its cached actions and health, or remove it (account owner only).
import { apiRoute } from "@/server/api-route";
import { connectorNotFound, deleteConnector, getConnector } from "@/server/services/connectors";
import { connectorParamsSchema } from "@/lib/schemas/connector";

export const GET = apiRoute(
  { params: connectorParamsSchema, notFound: connectorNotFound },
  async ({ principal, params }) => ({ body: await getConnector(principal, params.connectorId) }),
);

export const DELETE = apiRoute(
  { params: connectorParamsSchema, notFound: connectorNotFound },
  async ({ principal, params }) => ({ body: await deleteConnector(principal, params.connectorId) }),
);
