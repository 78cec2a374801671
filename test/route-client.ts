// Calls the App Router route handlers in-process with real Web Requests, the way Next.js does, so the
// integration tests exercise the wrapper, auth, validation, services and the real database. Every answer
// is checked against the OpenAPI document (test/openapi-contract.ts): one that does not match it throws.
import * as connectorCredentialRoute from "@/app/api/connectors/[connectorId]/credentials/[credentialId]/route";
import * as connectorCredentialsRoute from "@/app/api/connectors/[connectorId]/credentials/route";
import * as connectorRefreshRoute from "@/app/api/connectors/[connectorId]/refresh/route";
import * as connectorRoute from "@/app/api/connectors/[connectorId]/route";
import * as connectorsRoute from "@/app/api/connectors/route";
import * as serverRoute from "@/app/api/servers/[serverId]/route";
import * as tokenRoute from "@/app/api/servers/[serverId]/token/route";
import * as serversRoute from "@/app/api/servers/route";
import { assertMatchesContract } from "@/test/openapi-contract";
import * as apiKeyRoute from "@/app/api/api-keys/[id]/route";
import * as apiKeysRoute from "@/app/api/api-keys/route";
import * as auditRoute from "@/app/api/audit/route";
import * as jwtKeyRoute from "@/app/api/jwt-keys/[id]/route";
import * as jwtKeysRoute from "@/app/api/jwt-keys/route";
import * as memberRoute from "@/app/api/members/[id]/route";
import * as membersRoute from "@/app/api/members/route";
import * as signupRoute from "@/app/api/signup/route";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "DELETE", Handler>>;

const routes: [RegExp, RouteModule][] = [
  [/^\/api\/servers$/, serversRoute],
  [/^\/api\/servers\/(?<serverId>[^/]+)$/, serverRoute],
  [/^\/api\/servers\/(?<serverId>[^/]+)\/token$/, tokenRoute],
  [/^\/api\/connectors$/, connectorsRoute],
  [/^\/api\/connectors\/(?<connectorId>[^/]+)$/, connectorRoute],
  [/^\/api\/connectors\/(?<connectorId>[^/]+)\/refresh$/, connectorRefreshRoute],
  [/^\/api\/connectors\/(?<connectorId>[^/]+)\/credentials$/, connectorCredentialsRoute],
  [/^\/api\/connectors\/(?<connectorId>[^/]+)\/credentials\/(?<credentialId>[^/]+)$/, connectorCredentialRoute],
  [/^\/api\/api-keys$/, apiKeysRoute],
  [/^\/api\/api-keys\/(?<id>[^/]+)$/, apiKeyRoute],
  [/^\/api\/jwt-keys$/, jwtKeysRoute],
  [/^\/api\/jwt-keys\/(?<id>[^/]+)$/, jwtKeyRoute],
  [/^\/api\/members$/, membersRoute],
  [/^\/api\/members\/(?<id>[^/]+)$/, memberRoute],
  [/^\/api\/audit$/, auditRoute],
  [/^\/api\/signup$/, signupRoute],
];

export type CallOptions = { headers?: Record<string, string>; body?: unknown; rawBody?: string };

export type ApiResponse<T = any> = { status: number; headers: Headers; body: T; text: string };

export async function call(method: string, url: string, options: CallOptions = {}): Promise<ApiResponse> {
  const full = new URL(url, "http://switchboard.test");
  for (const [pattern, module] of routes) {
    const match = pattern.exec(full.pathname);
    if (!match) continue;
    const handler = module[method as keyof RouteModule];
    if (!handler) return { status: 405, headers: new Headers(), body: null, text: "" };
    const headers = new Headers(options.headers);
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers.set("content-type", "application/json");
    }
    const params = Object.fromEntries(
      Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]),
    );
    const response = await handler(new Request(full, { method, headers, body }), { params: Promise.resolve(params) });
    const text = await response.text();
    assertMatchesContract({ method, url: full, status: response.status, headers: response.headers, text });
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, text };
  }
  throw new Error(`No route for ${method} ${url}`);
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  ...extra,
});
