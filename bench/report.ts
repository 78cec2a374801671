// Turns the measurements into results: a JSON file, a console table, the delete-cost chart, and the
// markdown section of bench/README.md between this database's markers.
import fs from "node:fs";
import { format, resolveConfig } from "prettier";
import os from "node:os";
import path from "node:path";
import type { ServiceTimings } from "./breakdown";
import { deleteCostSvg } from "./chart";
import type { LoadResult } from "./http-load";
import type { Plan } from "./plan";
import type { Seeded } from "./seed";
import { distribution, linearFit, round, type Distribution, type LinearFit } from "./stats";

type Reads = "list" | "get";
type McpOperation = "toolsList" | "toolsCall";
type ApiOperation = Reads | "post" | "put" | McpOperation;

/** What run.ts measured, before any formatting. */
export type Measured = {
  plan: Plan;
  db: "pglite" | "postgres";
  dbVersion: string;
  seeded: Seeded;
  seconds: number;
  /** The machine is shared: its load when the run started and ended says how quiet it was. */
  loadAverageAtStart: number[];
  baseline: {
    reads: Record<Reads, { sequential: LoadResult; load: LoadResult }>;
    deletes: Map<number, number[]>;
  };
  service: ServiceTimings;
  api: {
    floor: LoadResult;
    load: Record<ApiOperation, { sequential: LoadResult; load: LoadResult; rssBytes: number }>;
    deletes: Map<number, { latencies: number[]; rssBytes: number }>;
    readers: {
      readers: number;
      rows: number;
      deleteMs: number[];
      control: Distribution;
      during: Distribution;
      rssBytes: number;
    }[];
    rssMaxBytes: number;
    idleRssBytes: number;
  };
};

type Latency = { p50Ms: number; p99Ms: number };
export type Row = {
  key: string;
  operation: string;
  /** Connections of the measured load; deletes are single requests one after another. */
  connections: number;
  requests: number;
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  rssMb: number | null;
  /** The same request at one connection: its own cost, without queueing. */
  oneConnection: Latency | null;
  baseline: { oneConnection: Latency; loaded: (Latency & { rps: number }) | null } | null;
  ratioP50: { oneConnection: number; loaded: number | null } | null;
  note?: string;
};

export type Target = { name: string; limit: string; measured: string; met: boolean; miss: string | null };

export type Results = {
  date: string;
  db: "pglite" | "postgres";
  plan: Plan["name"];
  machine: {
    cores: number;
    cpu: string;
    memoryGb: number;
    node: string;
    kernel: string;
    database: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  settings: {
    connections: number;
    warmupSeconds: number;
    loadSeconds: number;
    oneConnectionRequests: number;
    listServers: number;
    pageSize: number;
  };
  seeding: { rows: number; seconds: number };
  rows: Row[];
  deleteScaling: {
    points: { rows: number; apiMs: number[]; baselineMs: number[]; apiP50Ms: number; baselineP50Ms: number }[];
    apiFit: LinearFit;
    baselineFit: LinearFit;
  };
  /** p50 at one connection of each layer a read goes through, from the driver up to HTTP. */
  breakdown: { layer: string; listMs: number; getMs: number }[];
  readersDuringDelete: {
    readers: number;
    rows: number;
    deleteMs: number[];
    control: Latency & { requests: number };
    during: Latency & { requests: number; maxMs: number };
  }[];
  rss: { idleMb: number; maxMb: number };
  targets: Target[];
  runSeconds: number;
};

const mb = (bytes: number) => round(bytes / 2 ** 20, 0);
const lat = (d: Distribution): Latency => ({ p50Ms: round(d.p50, 3), p99Ms: round(d.p99, 3) });

export function buildResults(m: Measured): Results {
  const { plan, baseline, api } = m;
  const rows: Row[] = [];
  const names: Record<Reads | "post" | "put", string> = {
    list: `GET /api/servers (page of 50 of ${plan.listServers.toLocaleString("en")})`,
    get: "GET /api/servers/{id}",
    post: "POST /api/servers",
    put: "PUT /api/servers/{id}",
  };
  for (const key of ["list", "get", "post", "put"] as const) {
    const measured = api.load[key];
    const base = key === "list" || key === "get" ? baseline.reads[key] : undefined;
    rows.push({
      key,
      operation: names[key],
      connections: plan.connections,
      requests: measured.load.requests,
      rps: round(measured.load.rps, 0),
      p50Ms: round(measured.load.latency.p50, 3),
      p99Ms: round(measured.load.latency.p99, 3),
      rssMb: mb(measured.rssBytes),
      oneConnection: lat(measured.sequential.latency),
      baseline: base
        ? {
            oneConnection: lat(base.sequential.latency),
            loaded: { ...lat(base.load.latency), rps: round(base.load.rps, 0) },
          }
        : null,
      ratioP50: base
        ? {
            oneConnection: round(measured.sequential.latency.p50 / base.sequential.latency.p50),
            loaded: round(measured.load.latency.p50 / base.load.latency.p50),
          }
        : null,
      ...(base ? {} : { note: "no baseline: a write's cost is the product (validation, audit row, token)" }),
    });
  }
  const points: Results["deleteScaling"]["points"] = [];
  for (const [size, measured] of api.deletes) {
    const apiLatency = distribution(measured.latencies);
    const baseLatency = distribution(baseline.deletes.get(size) ?? []);
    points.push({
      rows: size,
      apiMs: measured.latencies.map((v) => round(v, 3)),
      baselineMs: (baseline.deletes.get(size) ?? []).map((v) => round(v, 3)),
      apiP50Ms: round(apiLatency.p50, 3),
      baselineP50Ms: round(baseLatency.p50, 3),
    });
    rows.push({
      key: `delete-${size}`,
      operation: `DELETE /api/servers/{id} (${size.toLocaleString("en")} rows)`,
      connections: 1,
      requests: measured.latencies.length,
      // One request at a time: the rate is the inverse of the mean latency.
      rps: round(1000 / apiLatency.mean, 1),
      p50Ms: round(apiLatency.p50, 3),
      p99Ms: round(apiLatency.p99, 3),
      rssMb: mb(measured.rssBytes),
      oneConnection: lat(apiLatency),
      baseline: { oneConnection: lat(baseLatency), loaded: null },
      ratioP50: { oneConnection: round(apiLatency.p50 / baseLatency.p50), loaded: null },
    });
  }
  const mcpNames: Record<McpOperation, string> = {
    toolsList: "MCP tools/list (stateless POST /mcp/{id}/{token})",
    toolsCall: "MCP tools/call list_connectors_alloy (stateless POST /mcp/{id}/{token})",
  };
  for (const key of ["toolsList", "toolsCall"] as const) {
    const measured = api.load[key];
    rows.push({
      key: `mcp-${key}`,
      operation: mcpNames[key],
      connections: plan.connections,
      requests: measured.load.requests,
      rps: round(measured.load.rps, 0),
      p50Ms: round(measured.load.latency.p50, 3),
      p99Ms: round(measured.load.latency.p99, 3),
      rssMb: mb(measured.rssBytes),
      oneConnection: lat(measured.sequential.latency),
      baseline: null,
      ratioP50: null,
      note: "no baseline: the driver has no equivalent of an MCP request",
    });
  }

  const fit = (pick: (p: (typeof points)[number]) => number) => {
    const f = linearFit(points.map((p) => ({ x: p.rows, y: pick(p) })));
    return { slope: round(f.slope, 6), intercept: round(f.intercept, 3), r2: round(f.r2, 4) };
  };
  const results: Results = {
    date: new Date().toISOString().slice(0, 10),
    db: m.db,
    plan: plan.name,
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? "unknown",
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      kernel: `${os.type()} ${os.release()}`,
      database: m.dbVersion.split(" on ")[0] ?? m.dbVersion,
      loadAverageAtStart: m.loadAverageAtStart.map((v) => round(v, 2)),
      loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)),
    },
    settings: {
      connections: plan.connections,
      warmupSeconds: plan.warmupSeconds,
      loadSeconds: plan.loadSeconds,
      oneConnectionRequests: plan.sequentialRequests,
      listServers: plan.listServers,
      pageSize: 50,
    },
    seeding: { rows: m.seeded.rowsWritten, seconds: round(m.seeded.seconds, 1) },
    rows,
    deleteScaling: { points, apiFit: fit((p) => p.apiP50Ms), baselineFit: fit((p) => p.baselineP50Ms) },
    breakdown: [
      {
        layer: "driver baseline: the same SQL, no Prisma",
        list: baseline.reads.list.sequential.latency,
        get: baseline.reads.get.sequential.latency,
      },
      { layer: "service function through Prisma, in process", list: m.service.list, get: m.service.get },
      {
        layer: "proposed fix: one statement through Prisma $queryRaw, in process",
        list: m.service.proposedList,
        get: m.service.proposedGet,
      },
      { layer: "API-key check through Prisma, in process", list: m.service.authenticate, get: m.service.authenticate },
      { layer: "HTTP floor: 401 without credentials (no database)", list: api.floor.latency, get: api.floor.latency },
      {
        layer: "full API request over HTTP",
        list: api.load.list.sequential.latency,
        get: api.load.get.sequential.latency,
      },
    ].map(({ layer, list, get }) => ({ layer, listMs: round(list.p50, 3), getMs: round(get.p50, 3) })),
    readersDuringDelete: api.readers.map((r) => ({
      readers: r.readers,
      rows: r.rows,
      deleteMs: r.deleteMs.map((v) => round(v, 1)),
      control: { ...lat(r.control), requests: r.control.count },
      during: { ...lat(r.during), requests: r.during.count, maxMs: round(r.during.max, 3) },
    })),
    rss: { idleMb: mb(api.idleRssBytes), maxMb: mb(api.rssMaxBytes) },
    targets: [],
    runSeconds: round(m.seconds, 0),
  };
  results.targets = targets(results);
  return results;
}

/** The targets of the issue (set for PostgreSQL on 2 cores), checked against these numbers. */
function targets(r: Results): Target[] {
  const out: Target[] = [];
  const check = (name: string, limit: number, unit: string, measured: number) => {
    const met = measured <= limit;
    out.push({
      name,
      limit: `≤ ${limit}${unit}`,
      measured: `${round(measured, unit === "×" ? 2 : 0)}${unit}`,
      met,
      miss: met ? null : `+${round(((measured - limit) / limit) * 100, 0)}% over`,
    });
  };
  for (const row of r.rows.filter((row) => row.key === "list" || row.key === "get")) {
    check(`${row.operation}: API/baseline p50, 1 connection`, 3, "×", row.ratioP50!.oneConnection);
    check(
      `${row.operation}: API/baseline p50, ${row.connections} connections`,
      3,
      "×",
      row.ratioP50!.loaded ?? Number.NaN,
    );
  }
  const biggest = r.rows.filter((row) => row.key.startsWith("delete-")).at(-1);
  if (biggest) check(`${biggest.operation}: API/baseline p50`, 1.5, "×", biggest.ratioP50!.oneConnection);
  for (const readers of r.readersDuringDelete) {
    check(
      `GET /api/servers p99 while ${readers.rows.toLocaleString("en")}-row deletes run (${readers.readers} readers)`,
      150,
      " ms",
      readers.during.p99Ms,
    );
  }
  check("server RSS under load (max)", 400, " MB", r.rss.maxMb);
  return out;
}

// ---- formatting ----

const num = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value)
    ? "—"
    : value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const ratio = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${num(value)}×`);

function resultsTable(r: Results): string {
  const c = r.settings.connections;
  const lines = [
    `| Operation | req/s | p50 ms | p99 ms | server RSS MB | p50 ms, 1 conn | baseline p50 ms, 1 conn | API / baseline, 1 conn | baseline p50 ms, ${c} conn | API / baseline, ${c} conn |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.operation} | ${num(row.rps, 0)} | ${num(row.p50Ms)} | ${num(row.p99Ms)} | ${num(row.rssMb, 0)} | ` +
        `${num(row.oneConnection?.p50Ms)} | ${num(row.baseline?.oneConnection.p50Ms)} | ${ratio(row.ratioP50?.oneConnection)} | ` +
        `${num(row.baseline?.loaded?.p50Ms)} | ${ratio(row.ratioP50?.loaded)} |`,
    );
  }
  return lines.join("\n");
}

function scalingTable(r: Results): string {
  const { points, apiFit, baselineFit } = r.deleteScaling;
  const lines = [
    "| Associated rows | deletes | API p50 ms | API max ms | baseline p50 ms | baseline max ms | API / baseline |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const p of points) {
    lines.push(
      `| ${p.rows.toLocaleString("en")} | ${p.apiMs.length} | ${num(p.apiP50Ms)} | ${num(Math.max(...p.apiMs))} | ` +
        `${num(p.baselineP50Ms)} | ${num(Math.max(...p.baselineMs))} | ${ratio(round(p.apiP50Ms / p.baselineP50Ms))} |`,
    );
  }
  const line = (name: string, f: LinearFit) =>
    `- ${name}: t ≈ ${num(f.intercept)} ms + ${num(f.slope * 1000, 3)} ms per 1,000 rows (R² = ${num(f.r2, 4)})`;
  return [...lines, "", line("API", apiFit), line("baseline", baselineFit)].join("\n");
}

function breakdownTable(r: Results): string {
  const lines = [
    "| Layer (p50 at 1 connection) | GET /api/servers ms | GET /api/servers/{id} ms |",
    "| --- | ---: | ---: |",
  ];
  for (const b of r.breakdown) lines.push(`| ${b.layer} | ${num(b.listMs)} | ${num(b.getMs)} |`);
  return lines.join("\n");
}

function readersTable(r: Results): string {
  const lines = [
    "| Readers | deletes (ms each) | list p50 ms before | list p99 ms before | list p50 ms during | list p99 ms during | max ms during | responses during |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const x of r.readersDuringDelete) {
    lines.push(
      `| ${x.readers} | ${x.deleteMs.length} × ${x.rows.toLocaleString("en")} rows (${x.deleteMs.map((v) => num(v, 0)).join(", ")}) | ` +
        `${num(x.control.p50Ms)} | ${num(x.control.p99Ms)} | ${num(x.during.p50Ms)} | ${num(x.during.p99Ms)} | ${num(x.during.maxMs)} | ${x.during.requests} |`,
    );
  }
  return lines.join("\n");
}

function targetsTable(r: Results): string {
  const lines = ["| Target | limit | measured | met? |", "| --- | ---: | ---: | --- |"];
  for (const t of r.targets) {
    lines.push(`| ${t.name} | ${t.limit} | ${t.measured} | ${t.met ? "yes" : `**no**, ${t.miss}`} |`);
  }
  return lines.join("\n");
}

export function markdown(r: Results, files: { json: string; svg: string }): string {
  const m = r.machine;
  return [
    `Run of ${r.date} (${r.plan} plan, ${r.runSeconds} s): **${m.cores} cores** (${m.cpu}), ${m.memoryGb} GB RAM, ` +
      `Node ${m.node}, ${m.database}. Load average (1/5/15 min) at the start ${m.loadAverageAtStart.join(" / ")}, ` +
      `at the end ${m.loadAverageAtEnd.join(" / ")}. ` +
      `Seeded ${r.seeding.rows.toLocaleString("en")} rows in ${r.seeding.seconds} s. ` +
      `Load phases: ${r.settings.connections} connections for ${r.settings.loadSeconds} s after ${r.settings.warmupSeconds} s of warm-up; ` +
      `1-connection phases: ${r.settings.oneConnectionRequests} requests. Deletes are single requests one after another.`,
    "",
    resultsTable(r),
    "",
    `Server RSS: ${r.rss.idleMb} MB idle, ${r.rss.maxMb} MB at most under load.`,
    "",
    "Delete cost against associated rows:",
    "",
    scalingTable(r),
    "",
    `![Delete cost against associated rows](${files.svg})`,
    "",
    "Where a read's time goes (each layer includes the ones above it, except the HTTP floor, which has no database):",
    "",
    breakdownTable(r),
    "",
    'List readers while servers are deleted through the API ("during" = list requests whose lifetime overlapped a delete):',
    "",
    readersTable(r),
    "",
    r.db === "postgres"
      ? "Targets (set for PostgreSQL on 2 cores):"
      : "Targets (set for PostgreSQL; shown for comparison):",
    "",
    targetsTable(r),
    "",
    `Raw numbers: [${path.basename(files.json)}](${files.json}).`,
  ].join("\n");
}

export function printSummary(r: Results) {
  console.log(
    [resultsTable(r), breakdownTable(r), scalingTable(r), readersTable(r), targetsTable(r)].join("\n\n") + "\n",
  );
}

/** Writes the JSON and the chart into `outDir`, and (full runs) this database's README section. */
export async function writeResults(r: Results, outDir: string, options: { updateReadme: boolean }): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const base = `${r.date}-${r.db}`;
  const json = path.join(outDir, `${base}.json`);
  const svg = path.join(outDir, `${base}-delete-cost.svg`);
  await writeFormatted(json, JSON.stringify(r));
  const { points, apiFit, baselineFit } = r.deleteScaling;
  fs.writeFileSync(
    svg,
    deleteCostSvg({
      title: `Delete cost against associated rows: ${r.db === "postgres" ? "PostgreSQL" : "PGlite"}, ${r.date}, ${r.machine.cores} cores`,
      series: [
        { name: "API (DELETE /api/servers/{id})", color: "#c2410c", fit: apiFit, samples: sampleMap(points, "apiMs") },
        {
          name: "baseline (DELETE through the driver)",
          color: "#1d4ed8",
          fit: baselineFit,
          samples: sampleMap(points, "baselineMs"),
        },
      ],
    }),
  );
  const written = [json, svg];
  if (options.updateReadme) {
    const readme = path.join(import.meta.dirname, "README.md");
    const relative = (file: string) => path.relative(path.dirname(readme), file);
    await updateReadme(readme, r.db, markdown(r, { json: relative(json), svg: relative(svg) }));
    written.push(readme);
  }
  return written;
}

const sampleMap = (points: Results["deleteScaling"]["points"], key: "apiMs" | "baselineMs") =>
  points.map((p) => ({ x: p.rows, ys: p[key] }));

/** Replaces what lies between this database's markers, leaving the hand-written text around them. */
async function updateReadme(file: string, db: string, body: string) {
  const start = `<!-- results:${db}:start -->`;
  const end = `<!-- results:${db}:end -->`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const section = `${start}\n\n${body}\n\n${end}`;
  const updated =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n## Results: ${db}\n\n${section}\n`;
  await writeFormatted(file, updated);
}

/** Files the run commits are written the way `npm run format` would leave them. */
async function writeFormatted(file: string, text: string) {
  const config = (await resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await format(text, { ...config, filepath: file }));
}
