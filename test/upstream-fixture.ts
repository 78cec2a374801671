// A small upstream MCP server for the connector tests, for what server-everything cannot show: which
// headers reached the upstream (per-user credentials), an upstream that is slow, and one that answers
// garbage. Real SDK server over real HTTP; stateless, like many hosted MCP servers.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { freePort } from "./app-process";
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";

const DEFAULT_TOOLS: Tool[] = [
  { name: "whoami", description: "Tells which credential reached the upstream", inputSchema: { type: "object" } },
  { name: "slow", description: "Answers after 10 seconds", inputSchema: { type: "object" } },
];

type ToolList = () => Tool[] | Promise<Tool[]>;

function protocolServer(headers: Headers, tools: ToolList) {
  const server = new Server({ name: "fixture", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await tools() }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (request.params.name === "slow") await new Promise((r) => setTimeout(r, 10_000));
    return { content: [{ type: "text", text: JSON.stringify({ token: headers.get("x-upstream-token") }) }] };
  });
  return server;
}

export type Fixture = { url: string; garbageUrl: string; close: () => Promise<void> };

/**
 * `tools`: what tools/list answers, asked on every request (the Playwright suite changes it between
 * refreshes; a test can hold the answer to race something against discovery).
 */
export async function startFixture({ tools = () => DEFAULT_TOOLS }: { tools?: ToolList } = {}): Promise<Fixture> {
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
      const server = protocolServer(headers, tools);
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

export type Everything = { url: string; close: () => void };

/** The reference server-everything over Streamable HTTP on 127.0.0.1, as a child process. */
export async function startEverything(): Promise<Everything> {
  const port = await freePort();
  const script = path.resolve(
    import.meta.dirname,
    "../node_modules/@modelcontextprotocol/server-everything/dist/index.js",
  );
  const child = spawn(process.execPath, [script, "streamableHttp"], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes("listening")) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`server-everything: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => void child.kill() };
}
