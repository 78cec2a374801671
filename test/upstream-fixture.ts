// A small upstream MCP server for the connector tests, for what server-everything cannot show: which
// headers reached the upstream (per-user credentials), an upstream that is slow, and one that answers
// garbage. Real SDK server over real HTTP; stateless, like many hosted MCP servers.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

function protocolServer(headers: Headers) {
  const server = new Server({ name: "fixture", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      { name: "whoami", description: "Tells which credential reached the upstream", inputSchema: { type: "object" } },
      { name: "slow", description: "Answers after 10 seconds", inputSchema: { type: "object" } },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (request.params.name === "slow") await new Promise((r) => setTimeout(r, 10_000));
    return { content: [{ type: "text", text: JSON.stringify({ token: headers.get("x-upstream-token") }) }] };
  });
  return server;
}

export type Fixture = { url: string; garbageUrl: string; close: () => Promise<void> };

export async function startFixture(): Promise<Fixture> {
  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url === "/garbage") {
        res.writeHead(200, { "content-type": "application/json" }).end("this is not json-rpc {");
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
      });
      const server = protocolServer(headers);
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
      await server.connect(transport);
      const response = await transport.handleRequest(request);
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
      await server.close();
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    garbageUrl: `http://127.0.0.1:${port}/garbage`,
    close: () =>
      new Promise((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
