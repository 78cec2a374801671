import "server-only";
// Per-credential request limits (docs/api.md section 5) with rate-limiter-flexible. The store follows the
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

/** Counters never refuse on their own: the sliding window below decides. */
const COUNTER_CEILING = 2 ** 31 - 1;

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until the whole budget is available again. */
  resetMs: number;
  /** Until one more request would be served (0 when this one was). */
  retryAfterMs: number;
};

/**
 * docs/api.md section 5's sliding window, on rate-limiter-flexible's atomic counters (any of its stores): one
 * counter per key and clock-aligned window, and a request is served while
 *
 *   previous window's count × (share of the previous window still inside the last `window`) + this window's count
 *
 * stays within the budget (the sliding-window-counter estimate: two counters per key instead of a log
 * of every request). A refused request is given back, so the counters count served requests only and a
 * client that keeps knocking is not punished beyond the budget. Concurrent requests each increment
 * atomically before deciding, so together they never get more than the budget.
 */
export class SlidingWindowLimiter {
  readonly points: number;
  readonly windowMs: number;

  constructor(
    config: Pick<RateLimitConfig, "points" | "durationSeconds">,
    private readonly counters: RateLimiterAbstract,
    private readonly now: () => number = Date.now,
  ) {
    this.points = config.points;
    this.windowMs = config.durationSeconds * 1000;
  }

  /** The counters for `config`: each one lives two windows, long enough to be the previous one. */
  static create(config: RateLimitConfig, env: Env = process.env) {
    const counters = createRateLimiter(
      { ...config, points: COUNTER_CEILING, durationSeconds: 2 * config.durationSeconds },
      env,
    );
    return new SlidingWindowLimiter(config, counters);
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const now = this.now();
    const window = Math.floor(now / this.windowMs);
    const windowEnd = (window + 1) * this.windowMs;
    const previousWeight = (windowEnd - now) / this.windowMs;
    const [current, previous] = await Promise.all([
      this.counters.consume(`${key}@${window}`),
      this.counters.get(`${key}@${window - 1}`),
    ]);
    const before = previous?.consumedPoints ?? 0;
    const counted = current.consumedPoints;
    const estimate = before * previousWeight + counted;
    if (estimate <= this.points) {
      return {
        allowed: true,
        limit: this.points,
        remaining: Math.max(0, Math.floor(this.points - estimate)),
        // This window's requests leave the sliding window at the end of the next one.
        resetMs: windowEnd + this.windowMs - now,
        retryAfterMs: 0,
      };
    }
    // Give the refused request back; if that fails, the client is only counted once too often.
    await this.counters.reward(`${key}@${window}`).catch(() => undefined);
    const served = counted - 1;
    let retryAfterMs: number;
    if (served + 1 <= this.points && before > 0) {
      // Still in this window: once the previous window's share has shrunk enough for one more.
      const weightThen = (this.points - served - 1) / before;
      retryAfterMs = windowEnd - weightThen * this.windowMs - now;
    } else {
      // In the next window, where this one's count becomes the previous one and shrinks.
      const weightThen = served > 0 ? (this.points - 1) / served : 1;
      retryAfterMs = windowEnd + (1 - Math.min(1, weightThen)) * this.windowMs - now;
    }
    return {
      allowed: false,
      limit: this.points,
      remaining: 0,
      resetMs: windowEnd + this.windowMs - now,
      retryAfterMs: Math.max(1, retryAfterMs),
    };
  }
}

const globalForLimiter = globalThis as unknown as { switchboardRateLimiter?: SlidingWindowLimiter };

function limiter(): SlidingWindowLimiter {
  globalForLimiter.switchboardRateLimiter ??= SlidingWindowLimiter.create(rateLimitConfig());
  return globalForLimiter.switchboardRateLimiter;
}

export type RateLimitHeaders = Record<"RateLimit-Limit" | "RateLimit-Remaining" | "RateLimit-Reset", string>;

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/**
 * Spends one request of `key`'s budget. Returns the RateLimit-* headers for the answer, or throws
 * 429 RATE_LIMITED (carrying the headers and Retry-After) when the budget is spent.
 */
export async function consumeRateLimit(
  key: string,
  rateLimiter: SlidingWindowLimiter = limiter(),
): Promise<RateLimitHeaders> {
  const decision = await rateLimiter.consume(key);
  const headers: RateLimitHeaders = {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": seconds(decision.resetMs),
  };
  if (decision.allowed) return headers;
  throw new ApiError(
    "RATE_LIMITED",
    "Too many requests: slow down and retry after the time in Retry-After",
    undefined,
    429,
    { ...headers, "Retry-After": seconds(decision.retryAfterMs) },
  );
}
