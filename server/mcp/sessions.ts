import "server-only";
// The process-memory registry of open legacy MCP sessions (2025-era Streamable HTTP transports with a
// session id; 2026-07-28 requests need none). Sessions are therefore sticky to the replica that created
// them (README, scale-out). It lives on globalThis so every route bundle of the process sees the same
// registry: the server delete service closes a deleted server's sessions through it.
//
// Bounded (security finding 10): at most MCP_MAX_SESSIONS_PER_TOKEN per access token or credential,
// MCP_MAX_SESSIONS_PER_ACCOUNT per account and MCP_MAX_SESSIONS per process; a new session beyond a cap
// closes the least recently used one of that scope. A session never used after its `initialize` (the
// clients that never send the id back) is closed after MCP_SESSION_UNUSED_IDLE_SECONDS.
import type { Server, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import {
  mcpMaxSessions,
  mcpMaxSessionsPerAccount,
  mcpMaxSessionsPerToken,
  mcpSessionIdleSeconds,
  mcpSessionUnusedIdleSeconds,
} from "@/server/config";
import { logger } from "@/server/logger";

export type OpenSession = {
  sessionId: string;
  serverId: string;
  accountId: string;
  /** The rate-limit key of the credential that opened it: one access token, API key or end user. */
  tokenKey: string;
  userId: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
  /** Whether any request named this session after its initialize. */
  used: boolean;
};

// Map order is the recency order: a session is re-inserted when used, so the first match is the LRU.
type Registry = { sessions: Map<string, OpenSession>; sweeper?: NodeJS.Timeout };

const globalForSessions = globalThis as unknown as { switchboardMcpSessions?: Registry };

function registry(): Registry {
  globalForSessions.switchboardMcpSessions ??= { sessions: new Map() };
  return globalForSessions.switchboardMcpSessions;
}

const SWEEP_EVERY_MS = 10_000;

/** Registers a new session, first closing the least recently used ones of every scope that is full. */
export async function addSession(session: Omit<OpenSession, "lastSeen" | "used">) {
  const reg = registry();
  const scopes: [number, (s: OpenSession) => boolean][] = [
    [mcpMaxSessionsPerToken(), (s) => s.tokenKey === session.tokenKey],
    [mcpMaxSessionsPerAccount(), (s) => s.accountId === session.accountId],
    [mcpMaxSessions(), () => true],
  ];
  const evicted: OpenSession[] = [];
  for (const [cap, inScope] of scopes) {
    const members = [...reg.sessions.values()].filter((s) => inScope(s) && !evicted.includes(s));
    for (const oldest of members.slice(0, Math.max(0, members.length - cap + 1))) evicted.push(oldest);
  }
  reg.sessions.set(session.sessionId, { ...session, lastSeen: Date.now(), used: false });
  if (!reg.sweeper) {
    reg.sweeper = setInterval(() => void sweepIdle(), SWEEP_EVERY_MS);
    reg.sweeper.unref();
  }
  await Promise.all(evicted.map(closeSession));
}

/** The open session with this id, if any (no side effect). */
export function getSession(sessionId: string): OpenSession | undefined {
  return registry().sessions.get(sessionId);
}

/** The session a request names: marks it used and most recently used. */
export function useSession(sessionId: string): OpenSession | undefined {
  const sessions = registry().sessions;
  const session = sessions.get(sessionId);
  if (session) {
    session.lastSeen = Date.now();
    session.used = true;
    sessions.delete(sessionId);
    sessions.set(sessionId, session);
  }
  return session;
}

export function forgetSession(sessionId: string) {
  registry().sessions.delete(sessionId);
}

async function closeSession(session: OpenSession) {
  forgetSession(session.sessionId);
  try {
    // Ends the SSE streams of the session and rejects whatever was still in flight; the transport's
    // onclose (server/mcp/endpoint.ts) closes the session's row.
    await session.transport.close();
    await session.server.close();
  } catch (error) {
    logger.warn("closing an MCP session failed", {
      sessionId: session.sessionId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Closes one session, if it is open in this process. */
export async function closeSessionById(sessionId: string) {
  const session = registry().sessions.get(sessionId);
  if (session) await closeSession(session);
}

/**
 * Closes every open session of a server at once (the server was deleted, or its token rotated on another
 * replica): the one entry point for "nothing of this server stays open here".
 */
export async function closeServerSessions(serverId: string) {
  const doomed = [...registry().sessions.values()].filter((s) => s.serverId === serverId);
  await Promise.all(doomed.map(closeSession));
  return doomed.length;
}

/** Closes what has been idle too long; exported so tests can run a sweep without waiting for the timer. */
export async function sweepIdle(now = Date.now()) {
  const usedCutoff = now - mcpSessionIdleSeconds() * 1000;
  const unusedCutoff = now - mcpSessionUnusedIdleSeconds() * 1000;
  const idle = [...registry().sessions.values()].filter((s) => s.lastSeen < (s.used ? usedCutoff : unusedCutoff));
  await Promise.all(idle.map(closeSession));
  return idle.length;
}

export function openSessionCount(serverId?: string) {
  return [...registry().sessions.values()].filter((s) => serverId === undefined || s.serverId === serverId).length;
}
