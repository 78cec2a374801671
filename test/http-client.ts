// fetch() against a running app (test/app-process.ts) for the over-HTTP suites. Every answer is checked
// against the OpenAPI document (test/openapi-contract.ts): one that does not match it throws.
import { assertMatchesContract } from "@/test/openapi-contract";

export type HttpInit = { headers?: Record<string, string>; body?: unknown; raw?: BodyInit };

export async function httpRequest(baseUrl: string, method: string, path: string, init: HttpInit = {}) {
  const headers = { ...(init.headers ?? {}) };
  let body: BodyInit | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  const url = `${baseUrl}${path}`;
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  assertMatchesContract({ method, url, status: res.status, headers: res.headers, text });
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}
