// POST|GET|DELETE /mcp/{serverId}[/{accessToken}] — the server's MCP endpoint (Streamable HTTP), by token URL or management credentials.
import { handleMcpRequest } from "@/server/mcp/endpoint";

type Context = { params: Promise<{ serverId: string; token?: string[] }> };

// Sessions and SSE streams live in this process: never cache, never prerender.
export const dynamic = "force-dynamic";

async function handle(request: Request, context: Context): Promise<Response> {
  const { serverId, token } = await context.params;
  if (token && token.length > 1)
    return Response.json({ error: { code: "NOT_FOUND", message: "Not found" } }, { status: 404 });
  return handleMcpRequest(request, serverId, token?.[0]);
}

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
