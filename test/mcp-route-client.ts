// Calls the MCP route handler (/mcp/{serverId}[/{token}]) in-process with real Web Requests, as Next.js
// does, so tests reach the endpoint, the SDK transport, the tools and the database without a port.
// JSON answers and SSE answers (Streamable HTTP sessions) are both read into `body`.
import * as mcpRoute from "@/app/mcp/[serverId]/[[...token]]/route";
import type { ApiResponse } from "@/test/route-client";

export const MCP_ACCEPT = "application/json, text/event-stream";

let rpcId = 0;

/** A JSON-RPC request (or, without `id`, a notification) as a body. */
export const rpc = (method: string, params: unknown = {}, notification = false) =>
  notification ? { jsonrpc: "2.0", method, params } : { jsonrpc: "2.0", id: ++rpcId, method, params };

export const initializeParams = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "switchboard-tests", version: "1.0.0" },
};

/**
 * Sends one request to the MCP endpoint. `url` is an access URL (`http://…/mcp/{serverId}/{token}`) or
 * an API URL (`…/mcp/{serverId}`). An SSE answer's first `data:` message becomes `body`.
 */
export async function mcpCall(
  method: "GET" | "POST" | "DELETE",
  url: string,
  options: { headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<ApiResponse> {
  const full = new URL(url);
  const [, mcp, serverId, ...token] = full.pathname.split("/");
  if (mcp !== "mcp" || !serverId) throw new Error(`Not an MCP URL: ${url}`);
  const headers = new Headers({ accept: MCP_ACCEPT, ...options.headers });
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const response = await mcpRoute[method](new Request(full, { method, headers, body }), {
    params: Promise.resolve({
      serverId: decodeURIComponent(serverId),
      token: token.length ? token.map(decodeURIComponent) : undefined,
    }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseBody(text), text };
}

function parseBody(text: string): unknown {
  const data = text.split("\n").find((line) => line.startsWith("data: "));
  if (data) return JSON.parse(data.slice(6)) as unknown;
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
