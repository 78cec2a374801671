import "server-only";

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
