// Issue #12 finding 9: ?callbackUrl= on the sign-in page was an open redirect. Only same-origin paths pass;
// e2e/sign-in-redirect.spec.ts proves the browser stays on the app.
import { describe, expect, it } from "vitest";
import { safeCallback } from "@/lib/safe-callback";

const ORIGIN = "http://switchboard.test";

describe("safeCallback", () => {
  it.each([
    "/\\evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "https://evil.example",
    "http://switchboard.test.evil.example/",
    "javascript:alert(1)",
    " /servers",
    "servers",
  ])("refuses %j (the server list instead)", (url) => {
    const target = safeCallback(url, ORIGIN);
    expect(target).toBe("/servers");
    expect(new URL(target, ORIGIN).origin).toBe(ORIGIN);
  });

  it.each([
    ["/settings", "/settings"],
    ["/servers/abc-12345678?tab=1#history", "/servers/abc-12345678?tab=1#history"],
    [`${ORIGIN}/audit`, "/audit"],
    [null, "/servers"],
    ["", "/servers"],
  ])("keeps the same-origin path %j", (url, expected) => {
    expect(safeCallback(url, ORIGIN)).toBe(expected);
  });
});
