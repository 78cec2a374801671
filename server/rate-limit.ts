import "server-only";
// Per-credential request limits (API.md section 5) with rate-limiter-flexible. The store follows the
// deployment: process memory on the embedded database (one process by construction), PostgreSQL when
// DATABASE_URL points at one (every replica shares the `rate_limits` table), Redis when REDIS_URL is
// set. If a shared store fails, an in-memory limiter with the same budget decides instead, so an
// outage of the store degrades to per-replica limits rather than to errors.
import { Redis } from "ioredis";
import pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { databaseTarget, type Env } from "@/server/database-target";
import { ApiError } from "@/server/errors";
import { logger } from "@/server/logger";

export type RateLimitStore = "memory" | "postgres" | "redis";

export type RateLimitConfig = { points: number; durationSeconds: number; store: RateLimitStore };

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number.parseInt(value ?? "", 10);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function rateLimitConfig(env: Env = process.env): RateLimitConfig {
  const target = databaseTarget(env);
  const store: RateLimitStore = env.REDIS_URL ? "redis" : target.kind === "postgres" ? "postgres" : "memory";
  return {
    points: positiveInt(env.RATE_LIMIT_PER_MINUTE, 100),
    durationSeconds: positiveInt(env.RATE_LIMIT_WINDOW_SECONDS, 60),
    store,
  };
}

export function createRateLimiter(config: RateLimitConfig, env: Env = process.env): RateLimiterAbstract {
  const base = { points: config.points, duration: config.durationSeconds, keyPrefix: "api" };
  const insuranceLimiter = new RateLimiterMemory(base);
  if (config.store === "redis") {
    const redis = new Redis(env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on("error", (error: Error) => logger.warn("rate-limit store connection lost", { error: error.message }));
    return new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter });
  }
  if (config.store === "postgres") {
    const target = databaseTarget(env);
    if (target.kind !== "postgres") throw new Error("The postgres rate-limit store needs DATABASE_URL");
    const pool = new pg.Pool({ connectionString: target.url, max: 3 });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on("error", (error) => logger.warn("rate-limit store connection lost", { error: error.message }));
    // The table comes from a Prisma migration (model RateLimit), not from the library at run time.
    return new RateLimiterPostgres({
      ...base,
      storeClient: pool,
      tableName: "rate_limits",
      tableCreated: true,
      insuranceLimiter,
    });
  }
  return new RateLimiterMemory(base);
}

const globalForLimiter = globalThis as unknown as { switchboardRateLimiter?: RateLimiterAbstract };

function limiter(): RateLimiterAbstract {
  globalForLimiter.switchboardRateLimiter ??= createRateLimiter(rateLimitConfig());
  return globalForLimiter.switchboardRateLimiter;
}

export type RateLimitHeaders = Record<"RateLimit-Limit" | "RateLimit-Remaining" | "RateLimit-Reset", string>;

function headersOf(points: number, res: RateLimiterRes): RateLimitHeaders {
  return {
    "RateLimit-Limit": String(points),
    "RateLimit-Remaining": String(Math.max(0, res.remainingPoints)),
    "RateLimit-Reset": String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))),
  };
}

/**
 * Spends one request of `key`'s budget. Returns the RateLimit-* headers for the answer, or throws
 * 429 RATE_LIMITED (carrying the headers and Retry-After) when the budget is spent.
 */
export async function consumeRateLimit(
  key: string,
  rateLimiter: RateLimiterAbstract = limiter(),
): Promise<RateLimitHeaders> {
  try {
    return headersOf(rateLimiter.points, await rateLimiter.consume(key));
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const headers = headersOf(rateLimiter.points, rejection);
    throw new ApiError(
      "RATE_LIMITED",
      "Too many requests: slow down and retry after the time in Retry-After",
      undefined,
      429,
      {
        ...headers,
        "Retry-After": headers["RateLimit-Reset"],
      },
    );
  }
}
