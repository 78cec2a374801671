// POST /api/servers — create a server and mint its token; GET /api/servers — list the caller's servers.
import { apiRoute } from "@/server/api-route";
import { createServer, listServers } from "@/server/services/servers";
import { createServerSchema, listServersQuerySchema } from "@/lib/schemas/server";

export const POST = apiRoute({ body: createServerSchema }, async ({ principal, body }) => ({
  status: 201,
  body: await createServer(principal, body),
}));

export const GET = apiRoute({ query: listServersQuerySchema }, async ({ principal, query }) => ({
  body: await listServers(principal, query),
}));
