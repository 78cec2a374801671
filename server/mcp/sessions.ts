import "server-only";
// The process-memory registry of open MCP sessions (Streamable HTTP transports with a session id).
// Sessions are therefore sticky to the replica that created them (README, scale-out). It lives on
// globalThis so every route bundle of the process sees the same registry: the server delete service
// closes a deleted server's sessions through it.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { logger } from "@/server/logger";

export type OpenSession = {
  sessionId: string;
  serverId: string;
  userId: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
};

type Registry = { sessions: Map<string, OpenSession>; sweeper?: NodeJS.Timeout };

const globalForSessions = globalThis as unknown as { switchboardMcpSessions?: Registry };

function registry(): Registry {
  globalForSessions.switchboardMcpSessions ??= { sessions: new Map() };
  return globalForSessions.switchboardMcpSessions;
}

/** MCP_SESSION_IDLE_SECONDS: a session nobody used for this long is closed (clients that forget it). */
function idleMs(): number {
  const parsed = Number.parseInt(process.env.MCP_SESSION_IDLE_SECONDS ?? "", 10);
  return (Number.isInteger(parsed) && parsed > 0 ? parsed : 1800) * 1000;
}

export function addSession(session: OpenSession) {
  const reg = registry();
  reg.sessions.set(session.sessionId, session);
  if (!reg.sweeper) {
    reg.sweeper = setInterval(() => void sweepIdle(), 60_000);
    reg.sweeper.unref();
  }
}

export function getSession(sessionId: string): OpenSession | undefined {
  const session = registry().sessions.get(sessionId);
  if (session) session.lastSeen = Date.now();
  return session;
}

export function forgetSession(sessionId: string) {
  registry().sessions.delete(sessionId);
}

async function closeSession(session: OpenSession) {
  forgetSession(session.sessionId);
  try {
    // Ends the SSE streams of the session and rejects whatever was still in flight.
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

/** Closes every open session of a server at once (the server was deleted). */
export async function closeServerSessions(serverId: string) {
  const doomed = [...registry().sessions.values()].filter((s) => s.serverId === serverId);
  await Promise.all(doomed.map(closeSession));
  return doomed.length;
}

async function sweepIdle() {
  const cutoff = Date.now() - idleMs();
  const idle = [...registry().sessions.values()].filter((s) => s.lastSeen < cutoff);
  await Promise.all(idle.map(closeSession));
}

export function openSessionCount(serverId?: string) {
  return [...registry().sessions.values()].filter((s) => serverId === undefined || s.serverId === serverId).length;
}
