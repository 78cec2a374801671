import "server-only";
// What a failed upstream operation may say (issue #12, finding 2): a status code and a fixed message,
// never the upstream's own text (an internal page it served, a header it echoed) nor our request's.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { RefusedAddressError, ResponseTooLargeError } from "@/server/outbound/guarded-fetch";

export const REFUSED_ADDRESS_MESSAGE = "the connector's address is not allowed (CONNECTOR_ALLOWED_HOSTS)";
const tooLargeMessage = (limit: number) => `the connector's answer is larger than ${limit} bytes`;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 10; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== "object") break;
  }
  return chain;
}

/** One fixed message for any failure of an upstream operation. */
export function describeUpstreamFailure(error: unknown, timeoutMs: number): string {
  const chain = causes(error);
  for (const e of chain) {
    if (e instanceof RefusedAddressError) return REFUSED_ADDRESS_MESSAGE;
    if (e instanceof ResponseTooLargeError) return tooLargeMessage(e.limit);
  }
  // The SDK reports a stream that broke (ours, past the byte limit) as text of its own.
  const text = chain.map((e) => (e instanceof Error ? e.message : String(e))).join(" ");
  const tooLarge = /the answer is larger than (\d+) bytes/.exec(text);
  if (tooLarge) return tooLargeMessage(Number(tooLarge[1]));
  if (/the address is not allowed/.test(text)) return REFUSED_ADDRESS_MESSAGE;
  const first = chain[0];
  if (first instanceof StreamableHTTPError) {
    return first.code !== undefined && first.code > 0
      ? `the connector answered HTTP ${first.code}`
      : "the connector sent a malformed answer";
  }
  if (first instanceof McpError) {
    if (first.code === Number(ErrorCode.RequestTimeout)) return `the connector did not answer within ${timeoutMs} ms`;
    if (first.code === Number(ErrorCode.ConnectionClosed)) return "the connector closed the connection";
    return `the connector answered with MCP error ${first.code}`;
  }
  if (chain.some((e) => e instanceof SyntaxError || (e instanceof Error && e.name === "ZodError"))) {
    return "the connector sent a malformed answer";
  }
  if (chain.some((e) => typeof e === "object" && e !== null && "code" in e && /^E[A-Z]+/.test(String(e.code)))) {
    return "the connector could not be reached";
  }
  return "the connector failed";
}

/**
 * Rejects as soon as the client's transport reports a refused address or an answer past the byte limit:
 * an SSE stream cut off by the guard only surfaces as a transport error, and the pending request would
 * otherwise wait for its timeout.
 */
export function guardFailures(client: Client): Promise<never> {
  return new Promise((_, reject) => {
    client.onerror = (error) => {
      const text = error instanceof Error ? error.message : String(error);
      if (/the answer is larger than \d+ bytes|the address is not allowed/.test(text)) reject(error);
    };
  });
}
