import "server-only";
// Bounds on what a connector's tools/list may bring into the catalog (issue #12, findings 5 and 6): an
// 8,000-tool, 32 MB catalog made every tools/list of the account return 33 MB. A discovery over any bound
// is refused whole (the last good cache stays) with a fixed health message that names the bound, never
// the upstream's text. Schemas are measured without recursion (hostile nesting cannot blow the stack).
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { UpstreamError } from "@/server/mcp/upstream";

export const MAX_TOOLS_PER_CONNECTOR = 1000;
export const MAX_TOOL_NAME_LENGTH = 128;
export const MAX_TOOL_TITLE_LENGTH = 1000;
export const MAX_TOOL_DESCRIPTION_LENGTH = 10_000;
export const MAX_TOOL_SCHEMA_BYTES = 64 * 1024;
export const MAX_TOOL_SCHEMA_DEPTH = 32;
/** All of a connector's tools together, as stored in the catalog. */
export const MAX_CATALOG_BYTES = 4 * 1024 * 1024;

/** How deeply `value` nests objects and arrays, counted iteratively. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_TOOL_SCHEMA_DEPTH) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Throws an UpstreamError naming the first bound the discovered tools exceed. */
export function checkToolCatalog(tools: Tool[]): void {
  if (tools.length > MAX_TOOLS_PER_CONNECTOR) {
    throw new UpstreamError(`the connector offers more than ${MAX_TOOLS_PER_CONNECTOR} tools`);
  }
  let total = 0;
  for (const tool of tools) {
    if (tool.name.length > MAX_TOOL_NAME_LENGTH) {
      throw new UpstreamError(`a tool's name is longer than ${MAX_TOOL_NAME_LENGTH} characters`);
    }
    const title = tool.title ?? tool.annotations?.title ?? "";
    if (title.length > MAX_TOOL_TITLE_LENGTH) {
      throw new UpstreamError(`a tool's title is longer than ${MAX_TOOL_TITLE_LENGTH} characters`);
    }
    if ((tool.description ?? "").length > MAX_TOOL_DESCRIPTION_LENGTH) {
      throw new UpstreamError(`a tool's description is longer than ${MAX_TOOL_DESCRIPTION_LENGTH} characters`);
    }
    for (const schema of [tool.inputSchema, tool.outputSchema]) {
      if (schema === undefined) continue;
      if (nestingDepth(schema) > MAX_TOOL_SCHEMA_DEPTH) {
        throw new UpstreamError(`a tool's schema is nested deeper than ${MAX_TOOL_SCHEMA_DEPTH} levels`);
      }
      if (Buffer.byteLength(JSON.stringify(schema)) > MAX_TOOL_SCHEMA_BYTES) {
        throw new UpstreamError(`a tool's schema is larger than ${MAX_TOOL_SCHEMA_BYTES} bytes`);
      }
    }
    total += Buffer.byteLength(JSON.stringify(tool));
    if (total > MAX_CATALOG_BYTES) {
      throw new UpstreamError(`the connector's tools take more than ${MAX_CATALOG_BYTES} bytes`);
    }
  }
}
