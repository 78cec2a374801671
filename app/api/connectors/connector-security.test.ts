// Regression tests for issue #12, findings 1, 2, 3, 5 and 6, through the real route handlers, a real
// database and real upstreams (HTTP servers and stdio children started here): stdio commands only from
// the operator's list, no connection to a refused address, connector management for the account owner
// only, fixed health messages, bounded upstream answers and catalogs, no schema compilation on the
// request path.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { addMember } from "@/server/services/accounts";
import { browser, createJwt, createTenant, sessionCookie } from "@/test/factories";
import { startCountingServer, startFloodServer, startStatusServer } from "@/test/hostile-upstream";
import { bearer, call } from "@/test/route-client";
import { startFixture } from "@/test/upstream-fixture";

type Tenant = Awaited<ReturnType<typeof createTenant>>;
let a: Tenant;
let b: Tenant;
let memberCookie: string;
let endUserJwt: string;
const DEAD_URL = "http://127.0.0.1:9/mcp";
const PROBE = path.resolve(import.meta.dirname, "../../../test/fixtures/stdio-probe.mjs");
const REFUSED_ADDRESS = "the connector's address is not allowed (CONNECTOR_ALLOWED_HOSTS)";

beforeAll(async () => {
  a = await createTenant({ canActAsAnyUser: true });
  b = await createTenant();
  const member = await addMember(a.accountId, "OWNER", {
    email: `member-${Date.now()}@example.com`,
    password: "a long member password",
  });
  memberCookie = await sessionCookie(member.id);
  endUserJwt = (await createJwt(a.accountId, "end-user-1")).token;
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const create = (body: unknown, headers: Record<string, string> = bearer(a.key)) =>
  call("POST", "/api/connectors", { headers, body });

describe("finding 1: stdio commands come from the operator's list only", () => {
  const probeList = () =>
    JSON.stringify({ probe: { command: process.execPath, args: [PROBE, "fixed-arg"], env: { PROBE_MODE: "1" } } });

  it("refuses a command, arguments or environment in the request body, even where stdio used to be enabled", async () => {
    const marker = path.join(os.tmpdir(), `sb-stdio-marker-${process.pid}-${Date.now()}`);
    vi.stubEnv("CONNECTORS_ALLOW_STDIO", "true");
    vi.stubEnv("CONNECTORS_STDIO_COMMANDS", probeList());
    for (const body of [
      {
        name: "Evil",
        command: process.execPath,
        args: ["-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`],
      },
      { name: "Evil", stdioCommand: "probe", args: ["--evil"] },
      { name: "Evil", stdioCommand: "probe", env: { NODE_OPTIONS: "--require /tmp/evil.js" } },
    ]) {
      const res = await create(body);
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.code).toBe("INVALID_REQUEST");
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("refuses a name that is not on the list, and any stdio connector when there is no list", async () => {
    vi.stubEnv("CONNECTORS_STDIO_COMMANDS", probeList());
    const unknown = await create({ name: "Unknown", stdioCommand: "bash" });
    expect(unknown.status, unknown.text).toBe(400);
    expect(unknown.body.error.details.issues[0].path).toBe("stdioCommand");
    vi.stubEnv("CONNECTORS_STDIO_COMMANDS", "");
    const none = await create({ name: "None", stdioCommand: "probe" });
    expect(none.status, none.text).toBe(400);
    expect(none.body.error.details.issues[0].path).toBe("stdioCommand");
  });

  it("runs a listed command with its fixed arguments, a minimal environment, unprivileged when the app is root", async () => {
    vi.stubEnv("CONNECTORS_STDIO_COMMANDS", probeList());
    vi.stubEnv("SOME_APP_SECRET_FOR_THE_TEST", "must-not-reach-the-child");
    const res = await create({ name: "Probe", stdioCommand: "probe" });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ transport: "stdio", stdioCommand: "probe", health: { status: "ok" } });
    expect(res.body).not.toHaveProperty("args");
    const report = JSON.parse(res.body.actions[0].description);
    expect(report.argv).toEqual(["fixed-arg"]);
    expect(report.envNames).toContain("PROBE_MODE");
    for (const name of ["APP_SECRET", "DATABASE_URL", "SOME_APP_SECRET_FOR_THE_TEST", "NEXTAUTH_SECRET"]) {
      expect(report.envNames).not.toContain(name);
    }
    expect(report.envNames.filter((n: string) => !["PATH", "HOME", "LANG", "PROBE_MODE"].includes(n))).toEqual([]);
    if (process.getuid?.() === 0) {
      expect(report.uid).toBe(65534);
      expect(report.parentEnvironReadable).toBe(false);
    }
  });

  it("lets only the account owner pick a command", async () => {
    vi.stubEnv("CONNECTORS_STDIO_COMMANDS", probeList());
    for (const headers of [bearer(endUserJwt), browser(memberCookie)]) {
      const res = await create({ name: "Probe", stdioCommand: "probe" }, headers);
      expect(res.status, res.text).toBe(403);
    }
  });
});

describe("finding 2: no connection to loopback, private or link-local addresses unless the operator allows it", () => {
  it("refuses every loopback spelling and a host name resolving to loopback, without connecting", async () => {
    vi.stubEnv("CONNECTOR_ALLOWED_HOSTS", "");
    const target = await startCountingServer();
    try {
      for (const host of [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "2130706433",
        "0x7f.1",
        "127.1",
        "0.0.0.0",
      ]) {
        const res = await create({ name: `Loop ${host.replace(/\W/g, "")}`, url: `http://${host}:${target.port}/mcp` });
        expect(res.status, res.text).toBe(201);
        expect(res.body.health, host).toEqual({
          status: "error",
          lastCheckedAt: expect.any(String),
          lastError: REFUSED_ADDRESS,
        });
      }
      expect(target.hits()).toBe(0);
    } finally {
      await target.close();
    }
  });

  it("refuses link-local metadata and private addresses at once (no connection attempt)", async () => {
    vi.stubEnv("CONNECTOR_ALLOWED_HOSTS", "");
    vi.stubEnv("CONNECTOR_TIMEOUT_MS", "20000");
    const started = Date.now();
    for (const host of [
      "169.254.169.254",
      "10.1.2.3",
      "192.168.0.1",
      "172.16.0.1",
      "100.64.0.1",
      "[fd00::1]",
      "[fe80::1]",
      "224.0.0.1",
    ]) {
      const res = await create({ name: `Private ${host.replace(/\W/g, "")}`, url: `http://${host}/latest/meta-data` });
      expect(res.body.health.lastError, host).toBe(REFUSED_ADDRESS);
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports an upstream's error page as its status and a fixed message, never its text", async () => {
    const upstream = await startStatusServer(500, "internal-page-SECRET-7731 x-api-key: echoed-header-SECRET");
    try {
      const res = await create({
        name: "Erroring",
        url: upstream.url,
        headers: { "x-api-key": "echoed-header-SECRET" },
      });
      expect(res.body.health.lastError).toBe("the connector answered HTTP 500");
      expect(res.text).not.toContain("SECRET");
    } finally {
      await upstream.close();
    }
  });
});

describe("finding 3: connectors are managed by the account owner; answers mask secrets", () => {
  let ownersConnector: string;
  beforeAll(async () => {
    const res = await create({ name: "Owners Connector", url: DEAD_URL });
    ownersConnector = res.body.connectorId;
  });

  it("refuses create, refresh and delete to end users, members and keys acting as another user", async () => {
    const notOwners = [
      bearer(endUserJwt),
      { "x-alloy-user-token": endUserJwt },
      browser(memberCookie),
      bearer(
        a.key.replace(/.$/, (x) => x),
        { "x-alloy-userid": "end-user-1" },
      ),
    ];
    for (const headers of notOwners) {
      for (const [method, url, body] of [
        ["POST", "/api/connectors", { name: `Lookalike`, url: DEAD_URL }],
        ["POST", `/api/connectors/${ownersConnector}/refresh`, undefined],
        ["DELETE", `/api/connectors/${ownersConnector}`, undefined],
      ] as const) {
        const res = await call(method, url, { headers, body });
        expect(res.status, `${method} ${url} ${res.text}`).toBe(403);
        expect(res.body.error).toEqual({
          code: "FORBIDDEN",
          message: "Only the account owner may add, refresh or delete connectors",
        });
      }
    }
    expect(await db().connector.count({ where: { id: ownersConnector } })).toBe(1);
    expect(await db().connector.count({ where: { accountId: a.accountId, name: "Lookalike" } })).toBe(0);
  });

  it("shows end users and members names, ids, transport and health only", async () => {
    for (const headers of [bearer(endUserJwt), browser(memberCookie)]) {
      const list = await call("GET", "/api/connectors", { headers });
      expect(list.status).toBe(200);
      const mine = list.body.connectors.find((c: { connectorId: string }) => c.connectorId === ownersConnector);
      expect(Object.keys(mine).sort()).toEqual(
        ["actionCount", "connectorId", "createdAt", "health", "name", "transport", "updatedAt"].sort(),
      );
      const one = await call("GET", `/api/connectors/${ownersConnector}`, { headers });
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty("url");
      expect(one.body).not.toHaveProperty("headerNames");
    }
  });

  it("masks userinfo and query values of the URL, for the owner too", async () => {
    const res = await create({ name: "Secret Url", url: "http://alice:pa55word@127.0.0.1:9/mcp?token=abc123&team=x" });
    expect(res.status).toBe(201);
    expect(res.body.url).toBe("http://***:***@127.0.0.1:9/mcp?token=***&team=***");
    const one = await call("GET", `/api/connectors/${res.body.connectorId}`, { headers: bearer(a.key) });
    expect(one.text).not.toContain("pa55word");
    expect(one.text).not.toContain("abc123");
  });
});

describe("finding 5: an upstream's schemas are never compiled on the request path", () => {
  const heavySchema = (n: number) => ({
    type: "object" as const,
    properties: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `p${i}`,
        { type: "object", properties: { a: { type: "string", pattern: "^[a-z]+$" } }, required: ["a"] },
      ]),
    ),
  });

  it("another account's GET /api/servers p99 stays under 2x its baseline while a hostile upstream is discovered", async () => {
    const tools = Array.from({ length: 3 }, (_, i) => ({
      name: `heavy_${i}`,
      inputSchema: { type: "object" as const },
      outputSchema: heavySchema(400 + i),
    }));
    const upstream = await startFixture({ tools: () => tools });
    // One request after another from another account; p99 of what each took.
    const p99 = (times: number[]) => times.sort((x, y) => x - y)[Math.ceil(times.length * 0.99) - 1]!;
    const timedList = async () => {
      const started = performance.now();
      const res = await call("GET", "/api/servers", { headers: bearer(b.key) });
      expect(res.status).toBe(200);
      return performance.now() - started;
    };
    const load = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) times.push(await timedList());
      return p99(times);
    };
    /** Samples while `work` runs (at most 100, so that two stalls alone move the p99). */
    const loadDuring = async (work: Promise<unknown>) => {
      let done = false;
      void work.finally(() => (done = true));
      const times: number[] = [];
      while (!done && times.length < 100) {
        times.push(await timedList());
        await new Promise((r) => setTimeout(r, 10));
      }
      await work;
      return p99(times);
    };
    // The baseline is the same discovery (create, then refresh) of a benign upstream with the same tools minus
    // their output schemas: what the database and the network cost is in both, only the schemas differ.
    const benign = await startFixture({ tools: () => tools.map(({ outputSchema: _, ...tool }) => tool) });
    const discovery = (url: string, name: string) =>
      (async () => {
        const created = await create({ name, url });
        const refreshed = await call("POST", `/api/connectors/${created.body.connectorId}/refresh`, {
          headers: bearer(a.key),
        });
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.actionCount).toBe(3);
      })();
    try {
      await load(10); // warm-up
      const baseline = await loadDuring(discovery(benign.url, "Benign Schemas"));
      // The event loop's longest stall while the schemas arrive: a synchronous compilation shows here whatever
      // the machine's load does to the request latencies.
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      const during = await loadDuring(discovery(upstream.url, "Hostile Schemas"));
      stalls.disable();
      expect(stalls.max / 1e6, "longest event-loop stall (ms)").toBeLessThan(1000);
      expect(during, `baseline p99 ${baseline.toFixed(1)} ms`).toBeLessThan(2 * Math.max(baseline, 10));
    } finally {
      await upstream.close();
      await benign.close();
    }
  });
});

describe("finding 6: what an upstream sends back is bounded", () => {
  it.each(["json", "sse"] as const)("stops reading a %s answer past the byte limit", async (kind) => {
    const flood = await startFloodServer(kind, 300 * 1024 * 1024);
    try {
      const res = await create({ name: `Flood ${kind}`, url: flood.url });
      expect(res.body.health.lastError).toBe("the connector's answer is larger than 4194304 bytes");
      expect(flood.bytesSent()).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await flood.close();
    }
  });

  it("refuses a catalog with too many tools, or too large names, descriptions or schemas, keeping nothing of it", async () => {
    const cases: [string, () => object[]][] = [
      [
        "the connector offers more than 1000 tools",
        () => Array.from({ length: 1001 }, (_, i) => ({ name: `t${i}`, inputSchema: { type: "object" } })),
      ],
      [
        "a tool's name is longer than 128 characters",
        () => [{ name: "n".repeat(129), inputSchema: { type: "object" } }],
      ],
      [
        "a tool's description is longer than 10000 characters",
        () => [{ name: "d", description: "d".repeat(10_001), inputSchema: { type: "object" } }],
      ],
      [
        "a tool's schema is larger than 65536 bytes",
        () => [{ name: "s", inputSchema: { type: "object", description: "s".repeat(70_000) } }],
      ],
    ];
    for (const [message, tools] of cases) {
      const upstream = await startFixture({ tools: tools as never });
      try {
        const res = await create({ name: `Capped ${message.slice(0, 20).replace(/\W/g, "")}`, url: upstream.url });
        expect(res.body.health.lastError).toBe(message);
        expect(res.body.actionCount).toBe(0);
      } finally {
        await upstream.close();
      }
    }
  });
});
