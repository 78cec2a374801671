// Security finding 7 (issue 12): the MCP endpoint read the whole body (`request.text()`) before its size
// check, so a 300 MB POST was buffered whole before the 413. The body now goes through the REST routes'
// streaming limit: a declared Content-Length over the limit is refused before a byte is read, and an
// undeclared body is cut off as soon as it passes the limit.
import { beforeAll, describe, expect, it } from "vitest";
import * as mcpRoute from "@/app/mcp/[serverId]/[[...token]]/route";
import { MAX_BODY_BYTES } from "@/server/api-route";
import { createTenant } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

let accessUrl = "";

beforeAll(async () => {
  const tenant = await createTenant();
  const created = await call("POST", "/api/servers", { headers: bearer(tenant.key), body: { name: "limits" } });
  accessUrl = created.body.accessUrl;
});

const CHUNK = 1024 * 1024;

/** A body of `totalBytes` that counts how much of it the endpoint pulled. */
function countedBody(totalBytes: number) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(CHUNK).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= totalBytes) return controller.close();
      counter.pulled += CHUNK;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

async function post(stream: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  const url = new URL(accessUrl);
  const [, , serverId, token] = url.pathname.split("/");
  const request = new Request(url, {
    method: "POST",
    headers: { accept: "application/json, text/event-stream", "content-type": "application/json", ...headers },
    body: stream,
    duplex: "half",
  } as RequestInit);
  const response = await mcpRoute.POST(request, { params: Promise.resolve({ serverId: serverId!, token: [token!] }) });
  return { status: response.status, body: (await response.json()) as unknown };
}

const TOO_LARGE = {
  error: { code: "INVALID_REQUEST", message: `Request body must be at most ${MAX_BODY_BYTES} bytes` },
};

describe("the MCP endpoint's body limit", () => {
  it("refuses a declared Content-Length over the limit before reading the body", async () => {
    const { stream, counter } = countedBody(300 * CHUNK);
    const res = await post(stream, { "content-length": String(300 * CHUNK) });
    expect(res).toEqual({ status: 413, body: TOO_LARGE });
    // The stream's first pull may happen when the Request is built; nothing beyond that is read.
    expect(counter.pulled).toBeLessThanOrEqual(2 * CHUNK);
  });

  it("stops reading an undeclared body as soon as it passes the limit", async () => {
    const { stream, counter } = countedBody(60 * CHUNK);
    const res = await post(stream, {});
    expect(res).toEqual({ status: 413, body: TOO_LARGE });
    expect(counter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * CHUNK);
  });
});
