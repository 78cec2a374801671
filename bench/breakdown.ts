// Where a read's time goes between the driver and the HTTP answer: the same service functions the
// route handlers call, run in this process through Prisma (no HTTP), and the API-key check on its
// own. With the driver baseline below them and the HTTP numbers above, the difference between two
// layers is what that layer costs.
import { authenticate } from "@/server/auth/authenticate";
import { closeDb } from "@/server/db";
import { getServer, listServers } from "@/server/services/servers";
import { timeSequential } from "./baseline";
import { PAGE_SIZE, type Plan } from "./plan";
import type { Seeded, Tenant } from "./seed";
import { distribution, type Distribution } from "./stats";

export type ServiceTimings = { authenticate: Distribution; list: Distribution; get: Distribution };

/** Opens Prisma the way the app does (PGlite: this process must not hold the driver meanwhile). */
export async function serviceTimings(tenant: Tenant, seeded: Seeded, plan: Plan): Promise<ServiceTimings> {
  const headers = new Headers({ authorization: `Bearer ${tenant.reader.key}` });
  const principal = await authenticate(headers);
  const getId = (i: number) => seeded.listIds[(i * 7919) % seeded.listIds.length]!;
  const ops = {
    authenticate: () => authenticate(headers),
    list: () => listServers(principal, { limit: PAGE_SIZE, offset: 0 }),
    get: (i: number) => getServer(principal, getId(i)),
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
