// docs/api.md section 5: with several replicas the limit holds across all of them (shared store).
// Two production servers on one PostgreSQL database, one API key, 150 requests spread over both.
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeDb } from "@/server/db";
import { startApp, type RunningApp } from "@/test/app-process";
import { usePostgres } from "@/test/databases";
import { createTenant } from "@/test/factories";

const apps: RunningApp[] = [];
let key = "";

beforeAll(async () => {
  if (!usePostgres()) return;
  key = (await createTenant()).key;
  await closeDb();
  for (let i = 0; i < 2; i++)
    apps.push(await startApp({ RATE_LIMIT_PER_MINUTE: "100", RATE_LIMIT_WINDOW_SECONDS: "60" }));
}, 180_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
});

it.runIf(usePostgres())("lets at most 100 requests a minute through two app processes together", async () => {
  // Windows are aligned to the clock; a burst that straddles a boundary may see the previous window's
  // count weighted a little low (the sliding estimate), so start the burst well inside one window.
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 200));
  const results: Response[] = [];
  // Ten at a time, alternating between the replicas.
  for (let batch = 0; batch < 15; batch++) {
    results.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          fetch(`${apps[(batch * 10 + i) % 2]!.baseUrl}/api/servers?limit=1`, {
            headers: { authorization: `Bearer ${key}` },
          }),
        ),
      )),
    );
  }
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(100);
  expect(statuses.filter((s) => s === 429)).toHaveLength(50);
  for (const res of results.filter((r) => r.status === 429)) {
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(res.headers.get("RateLimit-Limit")).toBe("100");
    expect(res.headers.get("RateLimit-Remaining")).toBe("0");
    expect(Number(res.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
  }
  // Both replicas answered some of the 200s: the budget was shared, not split.
  const okByApp = [0, 1].map((a) => results.filter((r, i) => i % 2 === a && r.status === 200).length);
  expect(okByApp.every((n) => n > 0)).toBe(true);
});
