// The outbound guard on real sockets: what it refuses without CONNECTOR_ALLOWED_HOSTS (every loopback
// spelling of issue #12, a name resolving to loopback, DNS rebinding through a resolver of our own, a
// redirect to a refused address), what the operator's list lets through, and the byte limit.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedFetch, RefusedAddressError, ResponseTooLargeError } from "@/server/outbound/guarded-fetch";
import { startCountingServer, startFloodServer, type CountingServer } from "@/test/hostile-upstream";

let target: CountingServer;
beforeAll(async () => {
  target = await startCountingServer();
});
afterAll(() => target.close());

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as Error & { cause?: unknown },
  );
const isRefused = (error: (Error & { cause?: unknown }) | null) =>
  error instanceof RefusedAddressError || error?.cause instanceof RefusedAddressError;

describe("without CONNECTOR_ALLOWED_HOSTS", () => {
  const guarded = createGuardedFetch({ allowedHosts: () => [] });

  it.each(["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1", "127.1", "0.0.0.0"])(
    "refuses http://%s without connecting",
    async (host) => {
      const before = target.hits();
      const error = await refusal(guarded(`http://${host}:${target.port}/`));
      expect(isRefused(error), String(error)).toBe(true);
      expect(target.hits()).toBe(before);
    },
  );

  it("refuses a host name that resolves to loopback, and one with any refused address among its answers", async () => {
    const resolvesTo = (...addresses: string[]) =>
      createGuardedFetch({
        allowedHosts: () => [],
        lookup: () => Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }))),
      });
    for (const answer of [["127.0.0.1"], ["::1"], ["93.184.216.34", "127.0.0.1"], ["169.254.169.254"]]) {
      const error = await refusal(resolvesTo(...answer)(`http://upstream.example:${target.port}/`));
      expect(isRefused(error), answer.join()).toBe(true);
    }
    expect(target.hits()).toBe(0);
  });
});

describe("with the operator's list", () => {
  it("lets through the named host, address or range, and only those", async () => {
    for (const allowed of [["127.0.0.1"], ["127.0.0.0/8"], ["localhost"], ["::1", "127.0.0.1/32"]]) {
      const guarded = createGuardedFetch({ allowedHosts: () => allowed });
      const host = allowed[0] === "localhost" ? "localhost" : "127.0.0.1";
      const res = await guarded(`http://${host}:${target.port}/`);
      expect(res.status, allowed.join()).toBe(200);
      expect(await res.text()).toBe("internal answer");
    }
    const other = createGuardedFetch({ allowedHosts: () => ["10.0.0.0/8", "upstream.internal"] });
    expect(isRefused(await refusal(other(`http://127.0.0.1:${target.port}/`)))).toBe(true);
  });

  it("checks every connection's resolved address: a rebinding resolver cannot switch an allowed name to loopback", async () => {
    // The name is allowed through 127.0.0.2 (an allowed address); the resolver then answers 127.0.0.1.
    let answers = 0;
    const rebinding = createGuardedFetch({
      allowedHosts: () => ["127.0.0.2/32"],
      lookup: () => Promise.resolve([{ address: answers++ === 0 ? "127.0.0.2" : "127.0.0.1", family: 4 }]),
    });
    const server = http.createServer((req, res) =>
      res.writeHead(200, { connection: "close" }).end(req.socket.localAddress),
    );
    await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const first = await rebinding(`http://rebind.example:${port}/`);
      expect(await first.text()).toMatch(/127\.0\.0\.2$/);
      const error = await refusal(rebinding(`http://rebind.example:${port}/`));
      expect(isRefused(error), String(error)).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("follows no redirect to a refused address", async () => {
    const before = target.hits();
    const redirector = http.createServer((_, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/` }).end(),
    );
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.3", resolve));
    const { port } = redirector.address() as AddressInfo;
    try {
      const guarded = createGuardedFetch({ allowedHosts: () => ["127.0.0.3"] });
      expect(isRefused(await refusal(guarded(`http://127.0.0.3:${port}/`)))).toBe(true);
      expect(target.hits()).toBe(before);
    } finally {
      redirector.closeAllConnections();
      redirector.close();
    }
  });
});

describe("the byte limit", () => {
  it("cuts an answer off past the limit while streaming, without reading the rest", async () => {
    const flood = await startFloodServer("json", 200 * 1024 * 1024);
    try {
      const guarded = createGuardedFetch({ allowedHosts: () => ["127.0.0.1"], maxResponseBytes: () => 1024 * 1024 });
      const res = await guarded(flood.url, { method: "POST", body: "{}" });
      const error = await refusal(res.text());
      expect(
        error instanceof ResponseTooLargeError || error?.cause instanceof ResponseTooLargeError,
        String(error),
      ).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(flood.bytesSent()).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await flood.close();
    }
  });
});
