import "server-only";
// The one guard of every outbound request to an upstream (issue #12, findings 2 and 6): same signature as
// fetch. It checks the RESOLVED address of every connection when the connection is made (so neither a
// URL spelling nor DNS rebinding can reach a refused address, and a redirect to one fails the same way),
// connects to exactly the address it checked, and bounds every answer's body in bytes while streaming it.
import dns from "node:dns";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { connectorAllowedHosts, connectorMaxResponseBytes } from "@/server/config";
import { addressPolicy, isAllowedAddress, type AddressPolicy } from "@/server/outbound/address-policy";

/** The connection was refused by the address policy: nothing was sent. */
export class RefusedAddressError extends Error {
  constructor() {
    super("the address is not allowed");
    this.name = "RefusedAddressError";
  }
}

/** The answer's body went past the byte limit: the rest was not read. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export type GuardOptions = {
  /** CONNECTOR_ALLOWED_HOSTS entries; default: read from the environment on every request. */
  allowedHosts?: () => string[];
  maxResponseBytes?: () => number;
  /** How host names are resolved (default: the system resolver, as any connection would). */
  lookup?: LookupAll;
};

function guardedAgent(policy: () => AddressPolicy, lookup: LookupAll): Agent {
  const connect = buildConnector({});
  return new Agent({
    connect: (options, callback) => {
      const host = options.hostname;
      lookup(host)
        .then((addresses) => {
          const checked = policy();
          if (addresses.length === 0 || !addresses.every((a) => isAllowedAddress(a.address, host, checked))) {
            throw new RefusedAddressError();
          }
          const servername = options.servername ?? (/^[\d.]+$|:/.test(host) ? undefined : host);
          // Connect to the address that was checked, not to the name (which could resolve anew).
          connect({ ...options, hostname: addresses[0]!.address, ...(servername ? { servername } : {}) }, callback);
        })
        .catch((error: Error) => callback(error, null));
    },
  });
}

/** Cuts the body off (and cancels the source) once it passes `limit` bytes. */
function bounded(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel().catch(() => undefined);
        return controller.error(new ResponseTooLargeError(limit));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export function createGuardedFetch(options: GuardOptions = {}): typeof fetch {
  const allowed = options.allowedHosts ?? connectorAllowedHosts;
  const maxBytes = options.maxResponseBytes ?? connectorMaxResponseBytes;
  let cached: { key: string; policy: AddressPolicy } | undefined;
  const policy = () => {
    const entries = allowed();
    const key = entries.join(",");
    if (cached?.key !== key) cached = { key, policy: addressPolicy(entries) };
    return cached.policy;
  };
  const dispatcher = guardedAgent(policy, options.lookup ?? systemLookup);
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const limit = maxBytes();
    const request = input instanceof Request ? input : undefined;
    const response = await undiciFetch(
      (request?.url ?? input) as string,
      {
        ...(request ? { method: request.method, headers: request.headers, body: request.body } : {}),
        ...init,
        dispatcher,
      } as never,
    );
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (declared > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit);
    }
    const body = response.body ? bounded(response.body as ReadableStream<Uint8Array>, limit) : null;
    // A body-less status (204, 304) cannot be given a stream: pass it through as it is.
    if (body === null || [101, 204, 205, 304].includes(response.status)) return response as unknown as Response;
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers,
    });
  };
}

/** The guard every upstream HTTP request goes through (the connector transports' `fetch`). */
export const guardedFetch: typeof fetch = createGuardedFetch();
