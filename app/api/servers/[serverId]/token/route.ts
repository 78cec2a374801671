// POST /api/servers/{serverId}/token — rotate the server's access token, optionally keeping the old one valid for a grace period.
// DELETE /api/servers/{serverId}/token — revoke every live token of the server, those in a grace period too.
import { apiRoute } from "@/server/api-route";
import { serverNotFound } from "@/server/errors";
import { revokeAllTokens, rotateToken } from "@/server/services/servers";
import { serverParamsSchema } from "@/lib/schemas/params";
import { rotateTokenSchema } from "@/lib/schemas/server";

export const POST = apiRoute(
  { params: serverParamsSchema, notFound: serverNotFound, body: rotateTokenSchema, emptyBody: "allowed" },
  async ({ principal, params, body }) => ({
    body: await rotateToken(principal, params.serverId, body),
  }),
);

export const DELETE = apiRoute(
  { params: serverParamsSchema, notFound: serverNotFound },
  async ({ principal, params }) => ({
    body: await revokeAllTokens(principal, params.serverId),
  }),
);
