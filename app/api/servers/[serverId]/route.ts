// GET|PUT|DELETE /api/servers/{serverId} — read, update, or permanently delete (or preview deleting) one server.
import { apiRoute } from "@/server/api-route";
import { serverNotFound } from "@/server/errors";
import { deleteServer, getServer, previewDelete, updateServer } from "@/server/services/servers";
import { serverParamsSchema } from "@/lib/schemas/params";
import { deleteServerQuerySchema, updateServerSchema } from "@/lib/schemas/server";

export const GET = apiRoute(
  { params: serverParamsSchema, notFound: serverNotFound },
  async ({ principal, params }) => ({
    body: await getServer(principal, params.serverId),
  }),
);

export const PUT = apiRoute(
  { params: serverParamsSchema, notFound: serverNotFound, body: updateServerSchema },
  async ({ principal, params, body }) => ({
    body: await updateServer(principal, params.serverId, body),
  }),
);

export const DELETE = apiRoute(
  { params: serverParamsSchema, notFound: serverNotFound, query: deleteServerQuerySchema },
  async ({ principal, params, query }) => ({
    body: query.dryRun
      ? await previewDelete(principal, params.serverId)
      : await deleteServer(principal, params.serverId),
  }),
);
