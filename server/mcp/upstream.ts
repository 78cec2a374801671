import "server-only";
// Talks to an upstream MCP server (a connector) through the SDK's own Client. One short-lived client per
// operation: no connection outlives the request that needed it, so a connector that hangs or dies can
// only ever cost one call its timeout, never a stuck pool.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { StdioCommand } from "@/server/config";
import { guardedFetch } from "@/server/outbound/guarded-fetch";
import { nonCompilingValidator } from "@/server/outbound/lazy-validator";
import { OperatorStdioTransport } from "@/server/outbound/stdio-transport";
import { describeUpstreamFailure, guardFailures } from "@/server/outbound/upstream-failure";

export type UpstreamTarget =
  { transport: "http"; url: string; headers: Record<string, string> } | { transport: "stdio"; entry: StdioCommand };

const DEFAULT_TIMEOUT_MS = 30_000;

/** CONNECTOR_TIMEOUT_MS bounds every upstream operation (connect, list, call); default 30 s. */
export function upstreamTimeoutMs(): number {
  const parsed = Number.parseInt(process.env.CONNECTOR_TIMEOUT_MS ?? "", 10);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_TIMEOUT_MS;
}

/** An upstream failure with a message safe to show to the MCP client (no headers, no secrets). */
export class UpstreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpstreamError";
  }
}

// fetch refuses a header value holding a line break, a NUL or a character above U+00FF, with an error that
// quotes the value, and that message used to become the connector's lastError or a tool call's recorded
// error. Header values are secrets (connector headers, end users' credentials): check them first and name
// only the header.
const SENDABLE_HEADER_VALUE = /^[^\r\n\0\u0100-\uffff]*$/;

function transportFor(target: UpstreamTarget): Transport {
  if (target.transport === "http") {
    for (const [name, value] of Object.entries(target.headers)) {
      if (!SENDABLE_HEADER_VALUE.test(value)) {
        throw new UpstreamError(
          `the value of the request header "${name}" cannot be sent (it holds a line break, a NUL or a character outside Latin-1)`,
        );
      }
    }
    // Every request through the outbound guard: resolved address checked, answer bounded (issue #12).
    return new StreamableHTTPClientTransport(new URL(target.url), {
      requestInit: { headers: target.headers },
      fetch: guardedFetch,
    });
  }
  return new OperatorStdioTransport(target.entry);
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError(`the connector did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

// A fixed message with at most a status code: never the upstream's text (server/outbound/upstream-failure.ts).
function describe(error: unknown, timeout: number): string {
  if (error instanceof UpstreamError) return error.message;
  return describeUpstreamFailure(error, timeout);
}

/** Runs `work` against a freshly connected client, within the timeout, and always disconnects. */
async function withClient<T>(target: UpstreamTarget, work: (client: Client, timeout: number) => Promise<T>) {
  const timeout = upstreamTimeoutMs();
  // No AJV compilation of the upstream's output schemas on the request path (issue #12, finding 5).
  const client = new Client({ name: "switchboard", version: "0.1.0" }, { jsonSchemaValidator: nonCompilingValidator });
  try {
    return await withDeadline(
      Promise.race([
        (async () => {
          await client.connect(transportFor(target), { timeout });
          return work(client, timeout);
        })(),
        guardFailures(client),
      ]),
      timeout,
    );
  } catch (error) {
    throw new UpstreamError(describe(error, timeout));
  } finally {
    // Closing a stdio client kills the child; a failed close must not mask the real outcome.
    void client.close().catch(() => undefined);
  }
}

/** Every tool the upstream offers (following pagination). */
export function listUpstreamTools(target: UpstreamTarget): Promise<Tool[]> {
  return withClient(target, async (client, timeout) => {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, { timeout });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return tools;
  });
}

export function callUpstreamTool(
  target: UpstreamTarget,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return withClient(target, async (client, timeout) => {
    const result = await client.callTool({ name, arguments: args }, undefined, { timeout });
    // Validated by the SDK's result schema already; a task or legacy toolResult shape is not a tool answer.
    if (!("content" in result) || !Array.isArray(result.content)) {
      throw new UpstreamError("the connector returned a malformed result");
    }
    const content = result.content as CallToolResult["content"];
    return { content, ...(result.isError ? { isError: true } : {}) };
  });
}
