// `npm run bench [-- --smoke]`: what the REST API costs against what the database itself can do, and
// how the cost of a delete grows with the rows it removes. See bench/README.md for the method.
//
// Order matters because PGlite admits one process per data directory: seed and run the driver
// baseline in this process first, close the database, and only then start the server and drive it
// over HTTP. PostgreSQL admits both at once, so there each baseline measurement runs right next to
// its API counterpart (see baselineRunner).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, migrateDatabase } from "@/server/db";
import { baselineOps, timeConcurrent, timeSequential, type Timed } from "./baseline";
import { serviceTimings } from "./breakdown";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { openDriver, type Driver } from "./driver";
import { asError, load, startLoad, timedRequest, type LoadResult } from "./http-load";
import { FULL_PLAN, PAGE_SIZE, SMOKE_PLAN, type Plan } from "./plan";
import { buildResults, printSummary, writeResults, type Measured } from "./report";
import { createBenchTenant, seed, type Seeded, type Tenant } from "./seed";
import { ensureBuild, sampleMax, startServer, type RunningServer } from "./server-process";
import { distribution } from "./stats";

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---- cleanup that runs on success, failure, Ctrl-C and the watchdog alike ----

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
/** Set by Ctrl-C / SIGTERM: the measurements then fail as the server goes away, which is no news. */
let interrupted = false;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`[bench] cleanup step failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`[bench] ${signal}: stopping the server and dropping the database`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---- measuring a read or write: sides, rounds ----

/** One way of doing a request: warm it up, send n on one connection, or load it for s seconds. */
type Side = {
  warmup: () => Promise<unknown>;
  oneConnection: (requests: number) => Promise<Timed>;
  loaded: (seconds: number) => Promise<Timed>;
};

const combine = (parts: Timed[]): LoadResult => {
  const latencies = parts.flatMap((part) => part.latencies);
  const seconds = parts.reduce((total, part) => total + part.seconds, 0);
  return {
    latencies,
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    latency: distribution(latencies),
  };
};

/**
 * Measures each side at one connection and under load, in rounds that alternate between the sides:
 * on a shared 2-core machine the background load drifts by more than the differences being measured,
 * and alternating spreads that drift over both sides alike.
 */
async function measureInRounds(sides: Side[], plan: Plan) {
  for (const side of sides) await side.warmup();
  const one = sides.map((): Timed[] => []);
  const loaded = sides.map((): Timed[] => []);
  const perRound = Math.ceil(plan.sequentialRequests / plan.rounds.oneConnection);
  for (let round = 0; round < plan.rounds.oneConnection; round++) {
    for (const [i, side] of sides.entries()) one[i]!.push(await side.oneConnection(perRound));
  }
  for (let round = 0; round < plan.rounds.loaded; round++) {
    for (const [i, side] of sides.entries()) loaded[i]!.push(await side.loaded(plan.loadSeconds / plan.rounds.loaded));
  }
  return sides.map((_, i) => ({ sequential: combine(one[i]!), load: combine(loaded[i]!) }));
}

// ---- the baseline: the driver alone ----

type Reads = "list" | "get";

/**
 * The driver-side measurements. On PGlite they all run before the server starts (one process per
 * data directory). On PostgreSQL each runs next to its API counterpart, in alternating rounds, and the
 * deletes alternate one for one.
 */
function baselineRunner(driver: Driver, tenant: Tenant, seeded: Seeded, plan: Plan) {
  const ops = baselineOps(driver, tenant);
  const getId = (i: number) => seeded.listIds[(i * 7919) % seeded.listIds.length]!;
  const result: Measured["baseline"] = { reads: {} as Measured["baseline"]["reads"], deletes: new Map() };
  const readOps: Record<Reads, (i: number) => Promise<unknown>> = {
    list: () => ops.list(),
    get: (i) => ops.get(getId(i)),
  };
  return {
    result,
    side: (name: Reads): Side => ({
      warmup: () => timeConcurrent(plan.connections, plan.warmupSeconds, readOps[name]),
      oneConnection: (requests) => timeSequential(requests, readOps[name]),
      loaded: (seconds) => timeConcurrent(plan.connections, seconds, readOps[name]),
    }),
    record: (name: Reads, measured: { sequential: LoadResult; load: LoadResult }) => {
      result.reads[name] = measured;
      log(`baseline ${name}: p50 ${measured.sequential.latency.p50.toFixed(2)} ms at 1 connection`);
    },
    warmDeletes: async () => {
      for (const id of seeded.warmupIds.baseline) await ops.delete(id);
    },
    delete: async (rows: number, index: number) => {
      const id = seeded.victims.get(rows)!.baseline[index]!;
      const timed = await timeSequential(1, () => ops.delete(id));
      result.deletes.set(rows, [...(result.deletes.get(rows) ?? []), ...timed.latencies]);
    },
  };
}

type Baseline = ReturnType<typeof baselineRunner>;

/** Every baseline measurement, one after another (PGlite, before the server starts). */
async function runBaselineAlone(baseline: Baseline, seeded: Seeded, plan: Plan) {
  for (const name of ["list", "get"] as const) {
    const [measured] = await measureInRounds([baseline.side(name)], plan);
    baseline.record(name, measured!);
  }
  await baseline.warmDeletes();
  for (const [rows, { baseline: victims }] of seeded.victims) {
    for (let i = 0; i < victims.length; i++) await baseline.delete(rows, i);
  }
}

// ---- the API over HTTP ----

async function runApi(
  server: RunningServer,
  tenant: Tenant,
  seeded: Seeded,
  plan: Plan,
  /** PostgreSQL: the baseline, measured alongside the API. */
  alongside?: Baseline,
) {
  const reader = { authorization: `Bearer ${tenant.reader.key}` };
  const writer = { authorization: `Bearer ${tenant.writer.key}` };
  const getId = (i: number) => seeded.listIds[(i * 7919) % seeded.listIds.length]!;
  const mcpUrl = await createMcpServer(server, writer);
  let created = 0;
  let updated = 0;
  const operations: Record<ApiOperation, Operation> = {
    list: { headers: reader, request: () => ({ method: "GET", path: `/api/servers?limit=${PAGE_SIZE}` }) },
    get: { headers: reader, request: (i: number) => ({ method: "GET", path: `/api/servers/${getId(i)}` }) },
    // Every POST needs a name of its own (names are unique per owner): a run-wide counter.
    post: {
      headers: writer,
      request: () => ({ method: "POST", path: "/api/servers", body: { name: `Bench Post ${created++}` } }),
    },
    // Round-robin over many servers, so concurrent updates seldom wait on the same row lock.
    put: {
      headers: writer,
      request: () => {
        const n = updated++;
        const id = seeded.putIds[n % seeded.putIds.length]!;
        return { method: "PUT", path: `/api/servers/${id}`, body: { description: `Updated by the bench, #${n}` } };
      },
    },
    // MCP over the token URL, stateless: one POST per JSON-RPC request, no Mcp-Session-Id.
    toolsList: { headers: MCP_HEADERS, request: (i) => mcpRequest(mcpUrl, i, "tools/list", {}) },
    toolsCall: {
      headers: MCP_HEADERS,
      request: (i) => mcpRequest(mcpUrl, i, "tools/call", { name: MCP_TOOL, arguments: {} }),
    },
  };

  // The floor under every API request: routing and the error envelope, no database at all.
  const floor = await load({
    baseUrl: server.baseUrl,
    headers: {},
    connections: 1,
    amount: plan.sequentialRequests,
    expectedStatus: 401,
    request: () => ({ method: "GET", path: `/api/servers?limit=${PAGE_SIZE}` }),
  });
  log(`HTTP floor (401 without credentials): p50 ${floor.latency.p50.toFixed(2)} ms`);

  const api = {} as Measured["api"]["load"];
  let rssMax = server.rss();
  for (const [name, operation] of Object.entries(operations) as [ApiOperation, Operation][]) {
    const spec = { baseUrl: server.baseUrl, headers: operation.headers, request: operation.request };
    let rss = 0;
    const apiSide: Side = {
      warmup: () => load({ ...spec, connections: plan.connections, seconds: plan.warmupSeconds }),
      oneConnection: (amount) => load({ ...spec, connections: 1, amount }),
      loaded: async (seconds) => {
        const sampler = sampleMax(server.rss);
        try {
          return await load({ ...spec, connections: plan.connections, seconds });
        } finally {
          rss = Math.max(rss, sampler.stop());
        }
      },
    };
    const isRead = name === "list" || name === "get";
    const sides = alongside && isRead ? [apiSide, alongside.side(name)] : [apiSide];
    const [measured, base] = await measureInRounds(sides, plan);
    if (alongside && isRead) alongside.record(name, base!);
    rssMax = Math.max(rssMax, rss);
    api[name] = { ...measured!, rssBytes: rss };
    log(
      `API ${name}: ${measured!.load.rps.toFixed(0)} req/s at ${plan.connections} connections, ` +
        `p50 ${measured!.sequential.latency.p50.toFixed(2)} ms at 1 connection, RSS ${(rss / 2 ** 20).toFixed(0)} MB`,
    );
  }

  const remove = (id: string) =>
    timedRequest(`${server.baseUrl}/api/servers/${id}`, { method: "DELETE", headers: writer }, 200);
  for (const id of seeded.warmupIds.api) await remove(id);
  await alongside?.warmDeletes();
  const deletes = new Map<number, { latencies: number[]; rssBytes: number }>();
  for (const [rows, { api: victims }] of seeded.victims) {
    const sampler = sampleMax(server.rss);
    const latencies: number[] = [];
    for (const [i, id] of victims.entries()) {
      latencies.push((await remove(id)).ms);
      await alongside?.delete(rows, i);
    }
    const rss = sampler.stop();
    rssMax = Math.max(rssMax, rss);
    deletes.set(rows, { latencies, rssBytes: rss });
    log(`API delete of ${rows} rows: p50 ${distribution(latencies).p50.toFixed(1)} ms`);
  }

  const readers: Measured["api"]["readers"] = [];
  let victims = seeded.underLoadIds;
  for (const level of plan.underLoad.readers) {
    const measured = await readersDuringDeletes(server, reader, remove, victims.slice(0, plan.underLoad.deletes), {
      readers: level,
      rows: plan.underLoad.rows,
      settleMs: plan.underLoad.settleMs,
    });
    victims = victims.slice(plan.underLoad.deletes);
    rssMax = Math.max(rssMax, measured.rssBytes);
    readers.push(measured);
    log(
      `list p99 with ${level} readers: ${measured.during.p99.toFixed(1)} ms during ${plan.underLoad.rows}-row deletes, ` +
        `${measured.control.p99.toFixed(1)} ms before`,
    );
  }
  return { load: api, floor, deletes, readers, rssMaxBytes: rssMax };
}

type ApiOperation = "list" | "get" | "post" | "put" | "toolsList" | "toolsCall";
type Operation = {
  headers: Record<string, string>;
  request: (i: number) => { method: "GET" | "POST" | "PUT"; path: string; body?: unknown };
};

/** A built-in tool that needs no upstream connector: it answers with the account's connectors. */
const MCP_TOOL = "list_connectors_alloy";
const MCP_HEADERS = { accept: "application/json, text/event-stream" };
const mcpRequest = (path: string, i: number, method: string, params: unknown) =>
  ({ method: "POST", path, body: { jsonrpc: "2.0", id: i + 1, method, params } }) as const;

/**
 * Creates the server the MCP phases call, through the API (the access token's hash is stored by the
 * product; the create answer is the only place the token itself appears), and checks once that both
 * requests succeed as JSON-RPC too: autocannon only sees the HTTP status, and a JSON-RPC error is a 200.
 * Returns the token URL's path.
 */
async function createMcpServer(server: RunningServer, writer: Record<string, string>): Promise<string> {
  const created = await timedRequest(
    `${server.baseUrl}/api/servers`,
    {
      method: "POST",
      headers: { ...writer, "content-type": "application/json" },
      body: JSON.stringify({ name: "Bench MCP" }),
    },
    201,
  );
  const { serverId, accessToken } = created.body as { serverId: string; accessToken: string };
  const path = `/mcp/${serverId}/${accessToken}`;
  const check = async (method: string, params: unknown, expect: (result: unknown) => boolean) => {
    const { body } = await timedRequest(
      `${server.baseUrl}${path}`,
      {
        method: "POST",
        headers: { ...MCP_HEADERS, "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 0, method, params }),
      },
      200,
    );
    const { result } = body as { result?: unknown };
    if (!expect(result)) throw new Error(`MCP ${method} did not answer as expected: ${JSON.stringify(body)}`);
  };
  await check("tools/list", {}, (result) =>
    ((result as { tools?: { name: string }[] } | undefined)?.tools ?? []).some((tool) => tool.name === MCP_TOOL),
  );
  await check("tools/call", { name: MCP_TOOL, arguments: {} }, (result) => {
    const answer = result as { isError?: boolean; content?: unknown[] } | undefined;
    return answer !== undefined && answer.isError !== true && (answer.content?.length ?? 0) > 0;
  });
  return path;
}

/**
 * List readers at a given concurrency while servers with many rows are deleted: the latencies of the
 * list responses whose lifetime overlaps a delete are the ones a delete could have stalled. The
 * readers' latencies before the first delete are the control.
 */
async function readersDuringDeletes(
  server: RunningServer,
  headers: Record<string, string>,
  remove: (id: string) => Promise<{ ms: number }>,
  victims: string[],
  options: { readers: number; rows: number; settleMs: number },
) {
  const responses: { start: number; end: number; ms: number }[] = [];
  const windows: { start: number; end: number }[] = [];
  const sampler = sampleMax(server.rss);
  const run = startLoad({
    baseUrl: server.baseUrl,
    headers,
    connections: options.readers,
    // An upper bound only: the run is stopped as soon as the deletes are done.
    seconds: 600,
    request: () => ({ method: "GET", path: `/api/servers?limit=${PAGE_SIZE}` }),
    onResponse: (end, ms) => responses.push({ start: end - ms, end, ms }),
  });
  const failed = run.done.then(
    () => undefined,
    (error: unknown) => error,
  );
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.settleMs));
  try {
    await pause();
    const controlEnd = performance.now();
    for (const id of victims) {
      const start = performance.now();
      await remove(id);
      windows.push({ start, end: performance.now() });
      await pause();
    }
    run.stop();
    const error = await failed;
    if (error) throw asError(error);
    const during = responses.filter((r) => windows.some((w) => r.start < w.end && r.end > w.start)).map((r) => r.ms);
    const control = responses.filter((r) => r.end <= controlEnd).map((r) => r.ms);
    if (during.length === 0) throw new Error("no list response overlapped a delete");
    return {
      readers: options.readers,
      rows: options.rows,
      deleteMs: windows.map((w) => w.end - w.start),
      control: distribution(control),
      during: distribution(during),
      rssBytes: sampler.stop(),
    };
  } finally {
    run.stop();
    sampler.stop();
  }
}

// ---- the run ----

async function main() {
  const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false } } });
  const plan = values.smoke ? SMOKE_PLAN : FULL_PLAN;
  const watchdog = setTimeout(() => {
    console.error(`[bench] the run exceeded ${plan.timeoutMs / 60_000} minutes: aborting`);
    void cleanup().finally(() => process.exit(1));
  }, plan.timeoutMs);

  // Any 32+ characters do; the server needs it with PostgreSQL, and both sides must share it.
  process.env.APP_SECRET ??= randomBytes(32).toString("base64url");
  process.env.LOG_LEVEL = "silent";
  ensureBuild(log);

  const started = performance.now();
  const loadAverageAtStart = os.loadavg();
  const database: BenchDatabase = await createBenchDatabase();
  cleanups.push(async () => {
    await closeDb();
    await database.drop();
    log("database dropped");
  });
  log(`plan ${plan.name} on ${database.label}`);

  await migrateDatabase();
  const tenant = await createBenchTenant();
  let driver: Driver | undefined = await openDriver(database.target, plan.connections);
  cleanups.push(async () => void (await driver?.close()));
  const seeded = await seed(driver, tenant, plan, log);
  log(`seeded ${seeded.rowsWritten.toLocaleString("en")} rows in ${seeded.seconds.toFixed(1)} s`);
  const dbVersion = (await driver.query<{ version: string }>("SELECT version()"))[0]!.version;
  const baseline = baselineRunner(driver, tenant, seeded, plan);
  const alongside = database.target.kind === "postgres";
  if (!alongside) {
    await runBaselineAlone(baseline, seeded, plan);
    // Prisma (below) and then the server cannot open the data directory while the driver holds it.
    await driver.close();
    driver = undefined;
  }
  const service = await serviceTimings(tenant, seeded, plan);
  log(`service through Prisma: list p50 ${service.list.p50.toFixed(2)} ms, get p50 ${service.get.p50.toFixed(2)} ms`);

  const server = await startServer({
    ...database.env,
    APP_SECRET: process.env.APP_SECRET,
    // The per-credential budget (100 a minute by default) would answer 429 within the first second of
    // load; the limiter still runs on every request, it just never refuses.
    RATE_LIMIT_PER_MINUTE: String(1e9),
  });
  cleanups.push(() => server.stop());
  const idleRss = server.rss();
  log(`server pid ${server.pid} at ${server.baseUrl}, RSS ${(idleRss / 2 ** 20).toFixed(0)} MB idle`);
  const api = await runApi(server, tenant, seeded, plan, alongside ? baseline : undefined);

  const results = buildResults({
    plan,
    db: database.target.kind,
    dbVersion,
    seeded,
    baseline: baseline.result,
    service,
    api: { ...api, idleRssBytes: idleRss },
    seconds: (performance.now() - started) / 1000,
    loadAverageAtStart,
  });
  await cleanup();
  clearTimeout(watchdog);

  const outDir = values.smoke
    ? fs.mkdtempSync(path.join(os.tmpdir(), "switchboard-bench-smoke-"))
    : path.join(import.meta.dirname, "results");
  printSummary(results);
  const written = await writeResults(results, outDir, { updateReadme: !values.smoke });
  for (const file of written) log(`wrote ${path.relative(process.cwd(), file) || file}`);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    const failure = asError(error);
    if (!interrupted) console.error(`[bench] failed: ${failure.stack ?? failure.message}`);
    await cleanup();
    process.exit(1);
  },
);
