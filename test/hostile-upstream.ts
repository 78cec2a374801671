// Upstreams that misbehave on purpose, for the connector security tests (issue #12): a plain HTTP server
// that only counts who reached it, one that answers an error page holding a secret, and one that streams
// an endless answer (JSON or one SSE event) and counts what it managed to send before the reader hung up.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type CountingServer = { port: number; hits: () => number; close: () => Promise<void> };

const closeServer = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Listens on every loopback spelling at once (dual-stack "::"), answering 200 to anything, counting requests. */
export async function startCountingServer(): Promise<CountingServer> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(200, { "content-type": "text/plain" }).end("internal answer");
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "::", ipv6Only: false }, resolve));
  return { port: (server.address() as AddressInfo).port, hits: () => hits, close: () => closeServer(server) };
}

/** Answers every request with `status` and `body` (an internal page an attacker would like to read). */
export async function startStatusServer(status: number, body: string): Promise<CountingServer & { url: string }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}/mcp`, hits: () => hits, close: () => closeServer(server) };
}

export type FloodServer = { url: string; bytesSent: () => number; close: () => Promise<void> };

/**
 * Answers every POST with up to `totalBytes` of one never-ending JSON-RPC answer (`json`) or one SSE event
 * (`sse`), written as fast as the reader takes it; `bytesSent` is what left before the reader hung up.
 */
export async function startFloodServer(kind: "json" | "sse", totalBytes: number): Promise<FloodServer> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, "a");
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    res.writeHead(200, { "content-type": kind === "json" ? "application/json" : "text/event-stream" });
    const head = kind === "json" ? '{"jsonrpc":"2.0","id":0,"result":{"pad":"' : 'event: message\ndata: {"pad":"';
    res.write(head);
    sent += head.length;
    let remaining = totalBytes;
    const pump = () => {
      while (remaining > 0 && !res.destroyed) {
        remaining -= chunk.length;
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end(kind === "json" ? '"}}' : '"}\n\n');
    };
    res.on("close", () => (remaining = 0));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, bytesSent: () => sent, close: () => closeServer(server) };
}
