// Drives the running server over loopback. Steady load comes from autocannon; deletes are single timed
// requests (each needs a victim of its own, and their cost is per request, not per second).
import autocannon from "autocannon";
import { distribution, type Distribution } from "./stats";

export type LoadSpec = {
  baseUrl: string;
  /** Builds request number `i`. */
  request: (i: number) => { method: "GET" | "POST" | "PUT"; path: string; body?: unknown };
  headers: Record<string, string>;
  connections: number;
  /** Either a duration in seconds or a number of requests. */
  seconds?: number;
  amount?: number;
  /** The status every answer must have; by default any 2xx. */
  expectedStatus?: number;
  /** Called with each successful response's end time (performance.now()) and latency in ms. */
  onResponse?: (endMs: number, latencyMs: number) => void;
};

export type LoadResult = {
  /** Every successful response's latency in ms, in the order they arrived. */
  latencies: number[];
  requests: number;
  seconds: number;
  rps: number;
  latency: Distribution;
};

export type LoadRun = { done: Promise<LoadResult>; stop: () => void };

/**
 * Starts an autocannon run. Latency is taken from autocannon's per-response event rather than from
 * its summary, because the summary's histogram has whole-millisecond buckets, too coarse for requests
 * that take one or two milliseconds. Any unexpected status, error or timeout fails the run: a
 * benchmark of error responses measures nothing.
 */
export function startLoad(spec: LoadSpec): LoadRun {
  const latencies: number[] = [];
  let counter = 0;
  let unexpected = 0;
  const statuses = new Map<number, number>();
  let instance: autocannon.Instance | undefined;
  const done = new Promise<LoadResult>((resolve, reject) => {
    instance = autocannon(
      {
        url: spec.baseUrl,
        connections: spec.connections,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.seconds ?? 10 }),
        timeout: 30,
        headers: { ...spec.headers, "content-type": "application/json" },
        requests: [
          {
            setupRequest: (req) => {
              const next = spec.request(counter++);
              return {
                ...req,
                method: next.method,
                path: next.path,
                ...(next.body !== undefined ? { body: JSON.stringify(next.body) } : {}),
              };
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(asError(error));
        const failures = unexpected + result.errors + result.timeouts;
        if (failures > 0) {
          const codes = [...statuses].map(([code, n]) => `${code}×${n}`).join(", ");
          return reject(
            new Error(
              `${failures} failed requests (${result.errors} errors, ${result.timeouts} timeouts, status ${codes})`,
            ),
          );
        }
        resolve({
          latencies,
          requests: latencies.length,
          seconds: result.duration,
          rps: latencies.length / result.duration,
          latency: distribution(latencies),
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      const ok = spec.expectedStatus ? statusCode === spec.expectedStatus : statusCode >= 200 && statusCode <= 299;
      if (!ok) {
        unexpected++;
        return;
      }
      latencies.push(responseTime);
      spec.onResponse?.(performance.now(), responseTime);
    });
  });
  return { done, stop: () => instance?.stop() };
}

export const load = (spec: LoadSpec) => startLoad(spec).done;

/** Whatever was thrown, as an Error (autocannon and timers may reject with non-Error values). */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === "string" ? value : JSON.stringify(value));
}

/** One request, timed from send to the last byte of the answer; anything but `expected` throws. */
export async function timedRequest(
  url: string,
  init: RequestInit,
  expected: number,
): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== expected) {
    throw new Error(`${init.method ?? "GET"} ${url} answered ${res.status}, expected ${expected}: ${text}`);
  }
  return { ms, body: JSON.parse(text) as unknown };
}
