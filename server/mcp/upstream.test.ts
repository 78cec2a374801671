// What an upstream failure may say: never the secrets that travel in its request headers.
import { describe, expect, it } from "vitest";
import { callUpstreamTool, listUpstreamTools } from "@/server/mcp/upstream";

// Nothing listens on port 9; the header check must fail first anyway.
const DEAD_URL = "http://127.0.0.1:9/mcp";

describe("an upstream request header that fetch cannot send", () => {
  it("fails naming the header, never quoting its value (a connector header or an end user's credential)", async () => {
    for (const value of ["Bearer abc\r\nSECRET-1", "token-\u0000SECRET-1", "jeton-é-€-SECRET-1"]) {
      const target = { transport: "http" as const, url: DEAD_URL, headers: { authorization: value } };
      for (const attempt of [() => listUpstreamTools(target), () => callUpstreamTool(target, "echo", {})]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e as Error,
        );
        expect(error?.name).toBe("UpstreamError");
        expect(error?.message).toContain("authorization");
        expect(error?.message).not.toContain("SECRET-1");
      }
    }
  });
});
