// What the concurrency suites share: the answers they allow (no 5xx, the envelope on every error, the
// product's own log line when something 5xx'd) and the rows they count (every table with a foreign key to
// a server, found in the schema, so a table added later is covered; orphans in any of them).
import { expect, vi, type MockInstance } from "vitest";
import { db } from "@/server/db";
import type { ApiResponse } from "@/test/route-client";

export type Labelled = { label: string; res: ApiResponse };

/** Tables the suites expect to find among those with a foreign key to a server. */
export const PER_SERVER_TABLES = [
  "ServerAccessToken",
  "ServerRestriction",
  "ServerRestrictionValue",
  "McpSession",
  "ToolCall",
  "ServerUserBinding",
] as const;

let stderr: MockInstance<typeof process.stderr.write> | undefined;
let perServerTables: { table: string; column: string }[] = [];

/** Call in beforeAll: starts collecting error log lines and reads the schema's per-server tables. */
export async function startRaceKit() {
  // Error lines go to stderr whatever LOG_LEVEL says: a 5xx is reported with what the product logged.
  stderr = vi.spyOn(process.stderr, "write");
  perServerTables = await db().$queryRaw<{ table: string; column: string }[]>`
    SELECT c.conrelid::regclass::text AS "table", a.attname::text AS "column"
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid = '"McpServer"'::regclass ORDER BY 1`;
  expect(perServerTables.map((r) => r.table.replaceAll('"', ""))).toEqual(
    expect.arrayContaining([...PER_SERVER_TABLES]),
  );
}

/** Call in afterAll. */
export function stopRaceKit() {
  stderr?.mockRestore();
}

/** The `unhandled error` line the product logged for a response, found by its request id. */
export function loggedError(res: ApiResponse): string {
  const requestId = res.headers.get("x-request-id");
  const lines = (stderr?.mock.calls ?? [])
    .map(([chunk]) => String(chunk))
    .filter((line) => line.includes('"unhandled error"') && (!requestId || line.includes(requestId)));
  return lines.length ? lines.join("\n") : "(nothing logged for this request)";
}

/**
 * No 5xx, every status one of those allowed for its request, and the error envelope on every non-2xx
 * (or, where `isEnvelope` says a body may be something else, e.g. a JSON-RPC error, that instead).
 * Soft: the test goes on to check the rows, so one run reports every kind of damage a race did.
 */
export function expectStatuses(
  results: Labelled[],
  allowed: (label: string) => number[],
  otherErrorBody: (res: ApiResponse) => boolean = () => false,
) {
  const failures = results
    .filter(({ label, res }) => !allowed(label).includes(res.status))
    .map(({ label, res }) => `${label} → ${res.status} ${res.text}\n  logged: ${loggedError(res)}`);
  expect.soft(failures.length, `${failures.length} unexpected answers:\n${failures.join("\n")}`).toBe(0);
  for (const { label, res } of results) {
    if (res.status < 300 || otherErrorBody(res)) continue;
    expect(res.headers.get("content-type"), label).toMatch(/^application\/json\b/);
    expect(Object.keys(res.body), label).toEqual(["error"]);
    expect(typeof res.body.error.code, label).toBe("string");
    expect(typeof res.body.error.message, label).toBe("string");
  }
}

export const tally = (results: Labelled[]) => {
  const counts: Record<string, number> = {};
  for (const { res } of results) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
};

/** Rows per per-server table for one server. */
export async function perServerCounts(serverId: string) {
  const rows = await db().$queryRawUnsafe<Record<string, number>[]>(
    `SELECT ${perServerTables.map((r) => `(SELECT count(*)::int FROM ${r.table} WHERE "${r.column}" = $1) AS ${r.table}`).join(", ")}`,
    serverId,
  );
  return rows[0]!;
}

/** What perServerCounts says of a server that is entirely gone. */
export const noRows = () => Object.fromEntries(perServerTables.map((r) => [r.table.replaceAll('"', ""), 0]));

/** Rows whose server (or, for restriction values, whose restriction) does not exist, table by table. */
export async function orphans() {
  const checks = [
    ...perServerTables.map(
      (r) =>
        `(SELECT count(*)::int FROM ${r.table} t WHERE t."${r.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "McpServer" s WHERE s.id = t."${r.column}")) AS ${r.table}`,
    ),
    `(SELECT count(*)::int FROM "ServerRestrictionValue" v WHERE NOT EXISTS
       (SELECT 1 FROM "ServerRestriction" r WHERE r.id = v."restrictionId" AND r."serverId" = v."serverId")) AS "restrictionOfValue"`,
    `(SELECT count(*)::int FROM "ToolCall" c WHERE c."sessionId" IS NOT NULL AND NOT EXISTS
       (SELECT 1 FROM "McpSession" m WHERE m.id = c."sessionId")) AS "sessionOfToolCall"`,
  ];
  return (await db().$queryRawUnsafe<Record<string, number>[]>(`SELECT ${checks.join(", ")}`))[0]!;
}

/** Soft: every orphan count is zero. */
export async function expectNoOrphans() {
  const lost = await orphans();
  expect.soft(lost, "orphan rows").toEqual(Object.fromEntries(Object.keys(lost).map((k) => [k, 0])));
}

export const auditCount = (serverId: string, action: string) => db().auditEvent.count({ where: { serverId, action } });
