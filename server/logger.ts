// Structured JSON log lines on stdout (stderr for errors). Callers pass only fields that are safe to
// keep: ids, paths, statuses and durations, never credentials or bodies. LOG_LEVEL=silent mutes the
// console for everything but errors; LOG_FILE (tests, debugging) receives every line in addition.
import fs from "node:fs";

type Fields = Record<string, unknown>;

function write(level: "info" | "warn" | "error", message: string, fields: Fields) {
  const line = `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`;
  if (process.env.LOG_FILE) fs.appendFileSync(process.env.LOG_FILE, line);
  if (level !== "error" && process.env.LOG_LEVEL === "silent") return;
  (level === "error" ? process.stderr : process.stdout).write(line);
}

export const logger = {
  info: (message: string, fields: Fields = {}) => write("info", message, fields),
  warn: (message: string, fields: Fields = {}) => write("warn", message, fields),
  error: (message: string, fields: Fields = {}) => write("error", message, fields),
};

/** A path fit for a log line: the secret segment of an MCP token URL is masked. */
export function loggablePath(pathname: string): string {
  return pathname.replace(/^(\/mcp\/[^/]+\/)[^/]+/, "$1***");
}

/** The one line every answered request leaves: ids, path (token masked), status and duration. */
export function logRequest(request: Request, response: Response, requestId: string, startedAt: number) {
  logger.info("request", {
    requestId,
    method: request.method,
    path: loggablePath(new URL(request.url).pathname),
    status: response.status,
    durationMs: Math.round(performance.now() - startedAt),
  });
}
