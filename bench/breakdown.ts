// Where a read's time goes between the driver and the HTTP answer: the same service functions the
// route handlers call, run in this process through Prisma (no HTTP), and the API-key check on its
// own. With the driver baseline below them and the HTTP numbers above, the difference between two
// layers is what that layer costs.
//
// It also times the fix proposed in bench/README.md, so that its gain is measured under the same
// conditions as everything else: each read as one SQL statement sent with Prisma's $queryRawUnsafe
// (the current token through a LATERAL join, restrictions aggregated to JSON) instead of `include`,
// which Prisma 6.19 resolves with one query per relation, each compiled by its query compiler anew.
import { authenticate } from "@/server/auth/authenticate";
import { closeDb, db } from "@/server/db";
import { sha256 } from "@/server/secrets";
import { getServer, listServers } from "@/server/services/servers";
import { timeSequential } from "./baseline";
import { PAGE_SIZE, type Plan } from "./plan";
import type { Seeded, Tenant } from "./seed";
import { distribution, type Distribution } from "./stats";

export type ServiceTimings = {
  authenticate: Distribution;
  list: Distribution;
  get: Distribution;
  proposedList: Distribution;
  proposedGet: Distribution;
};

/** The proposed read: a server with its current token and its restrictions, in one statement. */
const ONE_STATEMENT = `
SELECT s."id", s."name", s."description", s."customInstructions", s."isPublic", s."mode", s."createdAt", s."updatedAt",
       t."hint", t."expiresAt",
       (SELECT json_agg(json_build_object('dimension', r."dimension", 'mode', r."mode", 'values',
                 (SELECT json_agg(json_build_object('list', v."list", 'value', v."value") ORDER BY v."list", v."position")
                  FROM "ServerRestrictionValue" v WHERE v."restrictionId" = r."id")))
        FROM "ServerRestriction" r WHERE r."serverId" = s."id") AS "restrictions"
FROM "McpServer" s
LEFT JOIN LATERAL (
  SELECT a."hint", a."expiresAt" FROM "ServerAccessToken" a
  WHERE a."serverId" = s."id" AND a."revokedAt" IS NULL AND a."graceUntil" IS NULL
  ORDER BY a."createdAt" DESC LIMIT 1
) t ON true`;

/** Opens Prisma the way the app does (PGlite: this process must not hold the driver meanwhile). */
export async function serviceTimings(tenant: Tenant, seeded: Seeded, plan: Plan): Promise<ServiceTimings> {
  const headers = new Headers({ authorization: `Bearer ${tenant.reader.key}` });
  const principal = await authenticate(headers);
  const getId = (i: number) => seeded.listIds[(i * 7919) % seeded.listIds.length]!;
  const scope = { accountId: principal.accountId, ownerKey: sha256(principal.userId), ownerUserId: principal.userId };
  const ops = {
    authenticate: () => authenticate(headers),
    list: () => listServers(principal, { limit: PAGE_SIZE, offset: 0 }),
    get: (i: number) => getServer(principal, getId(i)),
    proposedList: () =>
      Promise.all([
        db().$queryRawUnsafe(
          `${ONE_STATEMENT} WHERE s."accountId" = $1 AND s."ownerKey" = $2 AND s."ownerUserId" = $3
           ORDER BY s."createdAt" DESC, s."id" DESC LIMIT $4 OFFSET $5`,
          scope.accountId,
          scope.ownerKey,
          scope.ownerUserId,
          PAGE_SIZE,
          0,
        ),
        db().mcpServer.count({ where: scope }),
      ]),
    proposedGet: (i: number) =>
      db().$queryRawUnsafe(`${ONE_STATEMENT} WHERE s."id" = $1 AND s."accountId" = $2`, getId(i), principal.accountId),
  };
  const result = {} as ServiceTimings;
  try {
    for (const [name, op] of Object.entries(ops) as [keyof ServiceTimings, (i: number) => Promise<unknown>][]) {
      // Warm-up: the first calls load Prisma's query compiler and fill the connection pool.
      await timeSequential(Math.min(100, plan.sequentialRequests), op);
      result[name] = distribution((await timeSequential(plan.sequentialRequests, op)).latencies);
    }
  } finally {
    await closeDb();
  }
  return result;
}
