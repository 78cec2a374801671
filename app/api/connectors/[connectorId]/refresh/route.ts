// POST /api/connectors/{connectorId}/refresh — rediscover the connector's actions now and update its health (account owner only).
import { apiRoute } from "@/server/api-route";
import { connectorNotFound, refreshConnector } from "@/server/services/connectors";
import { connectorParamsSchema } from "@/lib/schemas/connector";

export const POST = apiRoute(
  { params: connectorParamsSchema, notFound: connectorNotFound },
  async ({ principal, params }) => ({ body: await refreshConnector(principal, params.connectorId) }),
);
