import { describe, expect, it } from "vitest";
import { formatRelative } from "@/lib/format";

describe("formatRelative", () => {
  const now = Date.parse("2026-11-28T12:00:00Z");
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it("says how long ago, in the largest unit that fits", () => {
    expect(formatRelative(ago(10), now)).toBe("just now");
    expect(formatRelative(ago(50), now)).toBe("1 minute ago");
    expect(formatRelative(ago(5 * 60), now)).toBe("5 minutes ago");
    expect(formatRelative(ago(3 * 3600), now)).toBe("3 hours ago");
    expect(formatRelative(ago(86_400), now)).toBe("yesterday");
    expect(formatRelative(ago(40 * 86_400), now)).toBe("last month");
    expect(formatRelative(new Date(now + 2 * 3600 * 1000).toISOString(), now)).toBe("in 2 hours");
  });
});
