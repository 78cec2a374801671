// API.md section 5: a budget per credential, 429 RATE_LIMITED with Retry-After and RateLimit-* headers.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ApiError } from "@/server/errors";
import { consumeRateLimit, createRateLimiter, rateLimitConfig } from "@/server/rate-limit";
import { bearer, call } from "@/test/route-client";
import { createJwt, createTenant } from "@/test/factories";

const globalForLimiter = globalThis as unknown as { switchboardRateLimiter?: unknown };
const previous = process.env.RATE_LIMIT_PER_MINUTE;

beforeAll(() => {
  // This file's own budget: the shared limiter is built lazily from the environment.
  process.env.RATE_LIMIT_PER_MINUTE = "5";
  globalForLimiter.switchboardRateLimiter = undefined;
});

afterAll(() => {
  process.env.RATE_LIMIT_PER_MINUTE = previous;
  globalForLimiter.switchboardRateLimiter = undefined;
});

describe("rate limits", () => {
  it("picks the store from the deployment and reads the budget from the environment", () => {
    expect(rateLimitConfig({ RATE_LIMIT_PER_MINUTE: "7", RATE_LIMIT_WINDOW_SECONDS: "30" })).toEqual({
      points: 7,
      durationSeconds: 30,
      store: "memory",
    });
    expect(rateLimitConfig({ DATABASE_URL: "postgresql://x/y" }).store).toBe("postgres");
    expect(rateLimitConfig({ DATABASE_URL: "postgresql://x/y", REDIS_URL: "redis://127.0.0.1:6379" }).store).toBe(
      "redis",
    );
    expect(rateLimitConfig({ RATE_LIMIT_PER_MINUTE: "nonsense" })).toEqual({
      points: 100,
      durationSeconds: 60,
      store: "memory",
    });
  });

  it("counts down RateLimit-Remaining, then answers 429 with Retry-After, per credential", async () => {
    const tenant = await createTenant();
    const headers = bearer(tenant.key);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call("GET", "/api/servers", { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("RateLimit-Limit")).toBe("5");
      remaining.push(res.headers.get("RateLimit-Remaining")!);
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    const limited = await call("POST", "/api/servers", { headers, body: { name: "over budget" } });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: { code: "RATE_LIMITED", message: "Too many requests: slow down and retry after the time in Retry-After" },
    });
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(limited.headers.get("RateLimit-Reset")).toBe(String(retryAfter));

    // A rejected request did nothing.
    const other = await createTenant();
    expect((await call("GET", "/api/servers", { headers: bearer(other.key) })).status).toBe(200);

    // Another credential of the same account has its own budget; so does a JWT subject.
    const { token } = await createJwt(tenant.accountId, tenant.userId);
    const viaJwt = await call("GET", "/api/servers", { headers: bearer(token) });
    expect(viaJwt.status).toBe(200);
    expect(viaJwt.headers.get("RateLimit-Remaining")).toBe("4");
  });

  // Redis is one of this machine kind's services (127.0.0.1:6379); REDIS_URL selects it in production.
  it("shares one budget through Redis between two limiters (two replicas)", async () => {
    const env = { REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" };
    const config = { points: 3, durationSeconds: 60, store: "redis" as const };
    const [a, b] = [createRateLimiter(config, env), createRateLimiter(config, env)];
    // Until its client is connected a limiter falls back to its in-memory insurance: wait for both.
    const clientOf = (limiter: unknown) =>
      (limiter as { client: { status: string; quit: () => Promise<unknown> } }).client;
    for (let i = 0; i < 50 && [a, b].some((l) => clientOf(l).status !== "ready"); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect([a, b].map((l) => clientOf(l).status)).toEqual(["ready", "ready"]);
    onTestFinished(() => Promise.all([a, b].map((l) => clientOf(l).quit())).then(() => undefined));
    const key = `test-${Math.random().toString(16).slice(2)}`;
    await consumeRateLimit(key, a);
    await consumeRateLimit(key, b);
    expect((await consumeRateLimit(key, a))["RateLimit-Remaining"]).toBe("0");
    const rejected = await consumeRateLimit(key, b).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(ApiError);
    expect((rejected as ApiError).status).toBe(429);
    expect((rejected as ApiError).headers?.["Retry-After"]).toMatch(/^\d+$/);
  });

  it("refills when the window has passed", async () => {
    const limiter = createRateLimiter({ points: 2, durationSeconds: 1, store: "memory" });
    await consumeRateLimit("k", limiter);
    await consumeRateLimit("k", limiter);
    await expect(consumeRateLimit("k", limiter)).rejects.toBeInstanceOf(ApiError);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await consumeRateLimit("k", limiter))["RateLimit-Remaining"]).toBe("1");
  });
});
