import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Where the app is reachable from outside: the base of every server `url` in API answers. */
export function publicBaseUrl(): string {
  const configured = process.env.PUBLIC_BASE_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return `http://localhost:${process.env.PORT ?? "3000"}`;
}

/** Whether anyone may create an account from the sign-in page (SIGNUP_ENABLED=false turns it off). */
export function signUpEnabled(): boolean {
  return (process.env.SIGNUP_ENABLED ?? "true").trim().toLowerCase() !== "false";
}

// ---- connectors: outbound requests and stdio commands (issue #12) -------------------------------------

const configError = (variable: string, problem: string) => new Error(`${variable}: ${problem}`);

/**
 * CONNECTOR_ALLOWED_HOSTS: comma-separated host names, addresses or CIDR ranges that connectors may reach
 * although they are loopback, private or otherwise internal (upstreams on the operator's own network).
 * Unset: none. Parsed entries; the outbound guard classifies them (server/outbound/address-policy.ts).
 */
export function connectorAllowedHosts(): string[] {
  return (process.env.CONNECTOR_ALLOWED_HOSTS ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** CONNECTOR_MAX_RESPONSE_BYTES: the most an upstream answer (one HTTP body, one stdio message) may hold. */
export function connectorMaxResponseBytes(): number {
  const raw = process.env.CONNECTOR_MAX_RESPONSE_BYTES?.trim();
  if (!raw) return DEFAULT_MAX_RESPONSE_BYTES;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 1024 || parsed > 1024 * 1024 * 1024) {
    throw configError("CONNECTOR_MAX_RESPONSE_BYTES", "must be an integer between 1024 and 1073741824");
  }
  return parsed;
}

const stdioCommandSchema = z.strictObject({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  cwd: z.string().min(1).optional(),
});
const stdioCommandsSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/), stdioCommandSchema);

export type StdioCommand = z.output<typeof stdioCommandSchema>;

let stdioCache: { raw: string; commands: Record<string, StdioCommand> } | undefined;

/**
 * CONNECTORS_STDIO_COMMANDS: the only commands a stdio connector may run, each under a name, with its
 * fixed arguments and environment: a JSON object `{ "<name>": { "command", "args"?, "env"?, "cwd"? } }`,
 * or the path of a file holding one. Unset or empty: no stdio connectors at all.
 */
export function stdioCommands(): Record<string, StdioCommand> {
  const raw = process.env.CONNECTORS_STDIO_COMMANDS?.trim() ?? "";
  if (!raw) return {};
  if (stdioCache?.raw === raw) return stdioCache.commands;
  let text = raw;
  if (!raw.startsWith("{")) {
    try {
      text = readFileSync(raw, "utf8");
    } catch {
      throw configError("CONNECTORS_STDIO_COMMANDS", `cannot read the file ${raw}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw configError("CONNECTORS_STDIO_COMMANDS", "is not valid JSON");
  }
  const parsed = stdioCommandsSchema.safeParse(json);
  if (!parsed.success) {
    throw configError(
      "CONNECTORS_STDIO_COMMANDS",
      `must map names (a-z, 0-9, - and _) to { command, args?, env?, cwd? }: ${parsed.error.issues[0]?.message}`,
    );
  }
  stdioCache = { raw, commands: parsed.data };
  return parsed.data;
}

/** A positive whole number from the environment, or the default when unset; anything else names the variable. */
function positiveIntegerEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/** MCP_SESSION_IDLE_SECONDS: a legacy MCP session nobody used for this long is closed (default 1800). */
export function mcpSessionIdleSeconds(): number {
  return positiveIntegerEnv("MCP_SESSION_IDLE_SECONDS", 1800);
}

/**
 * MCP_SESSION_UNUSED_IDLE_SECONDS: a session never used after its `initialize` (clients that never send
 * the session id back) is closed after this long (default 60).
 */
export function mcpSessionUnusedIdleSeconds(): number {
  return positiveIntegerEnv("MCP_SESSION_UNUSED_IDLE_SECONDS", 60);
}

/** MCP_MAX_SESSIONS_PER_TOKEN: open legacy sessions per access token or credential; the least recently used goes first (default 100). */
export function mcpMaxSessionsPerToken(): number {
  return positiveIntegerEnv("MCP_MAX_SESSIONS_PER_TOKEN", 100);
}

/** MCP_MAX_SESSIONS_PER_ACCOUNT: open legacy sessions per account, all its servers together (default 1000). */
export function mcpMaxSessionsPerAccount(): number {
  return positiveIntegerEnv("MCP_MAX_SESSIONS_PER_ACCOUNT", 1000);
}

/** MCP_MAX_SESSIONS: open legacy sessions in this process (default 10000). */
export function mcpMaxSessions(): number {
  return positiveIntegerEnv("MCP_MAX_SESSIONS", 10_000);
}
