// How big and how long each part of a run is. The full plan is what the committed results come from;
// the smoke plan runs every code path at tiny sizes so CI notices when the bench stops working.

export type Plan = {
  name: "full" | "smoke";
  /** Servers owned by the reading end user: GET /api/servers pages through these. */
  listServers: number;
  /** Servers the PUT phase updates, round-robin (many, so that concurrent PUTs rarely share a row). */
  putTargets: number;
  /** Concurrent connections of the load phases, and the size of the baseline's connection pool. */
  connections: number;
  warmupSeconds: number;
  loadSeconds: number;
  /** Requests of the one-connection phase that measures the cost of a single request. */
  sequentialRequests: number;
  /**
   * Each phase is split into this many rounds, and where two sides are compared (API and baseline on
   * PostgreSQL) their rounds alternate, so a drift in the machine's background load hits both alike.
   */
  rounds: { oneConnection: number; loaded: number };
  /** Associated rows per deleted server, and how many servers of each size are deleted (per side). */
  deletes: { rows: number; repetitions: number }[];
  /**
   * List readers running while servers of `rows` rows are deleted through the API, at each reader
   * concurrency in `readers` (`deletes` servers per level), with `settleMs` of plain reading first.
   */
  underLoad: { rows: number; deletes: number; readers: number[]; settleMs: number };
  /** The whole run is aborted (and cleaned up) after this long. */
  timeoutMs: number;
};

export const FULL_PLAN: Plan = {
  name: "full",
  listServers: 10_000,
  putTargets: 500,
  connections: 10,
  warmupSeconds: 2,
  loadSeconds: 10,
  sequentialRequests: 1_000,
  rounds: { oneConnection: 5, loaded: 2 },
  deletes: [
    { rows: 0, repetitions: 20 },
    { rows: 1_000, repetitions: 10 },
    { rows: 10_000, repetitions: 5 },
    { rows: 100_000, repetitions: 5 },
  ],
  underLoad: { rows: 100_000, deletes: 2, readers: [4, 10], settleMs: 1_000 },
  timeoutMs: 30 * 60_000,
};

export const SMOKE_PLAN: Plan = {
  name: "smoke",
  listServers: 120,
  putTargets: 20,
  connections: 2,
  warmupSeconds: 1,
  loadSeconds: 1,
  sequentialRequests: 20,
  rounds: { oneConnection: 2, loaded: 1 },
  deletes: [
    { rows: 0, repetitions: 2 },
    { rows: 100, repetitions: 2 },
    { rows: 1_000, repetitions: 1 },
  ],
  underLoad: { rows: 1_000, deletes: 1, readers: [2], settleMs: 200 },
  timeoutMs: 5 * 60_000,
};

/** The page size of the list benchmark: the API's default. */
export const PAGE_SIZE = 50;
