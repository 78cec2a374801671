// POST /api/servers/{serverId}/token — rotate the server's access token, optionally keeping the old one valid for a grace period.
import { apiRoute } from "@/server/api-route";
import { serverNotFound } from "@/server/errors";
import { rotateToken } from "@/server/services/servers";
import { serverParamsSchema } from "@/lib/schemas/params";
import { rotateTokenSchema } from "@/lib/schemas/server";

export const POST = apiRoute(
  { params: serverParamsSchema, notFound: serverNotFound, body: rotateTokenSchema, emptyBody: "allowed" },
  async ({ principal, params, body }) => ({
    body: await rotateToken(principal, params.serverId, body),
  }),
);
