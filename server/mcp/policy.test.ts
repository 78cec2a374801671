import { describe, expect, it } from "vitest";
import { actionRefusal, connectorRefusal, userRefusal } from "@/server/mcp/policy";

describe("the restrictions policy", () => {
  it("lets everything pass without restrictions", () => {
    expect(userRefusal({}, "u")).toBeNull();
    expect(connectorRefusal({}, "c")).toBeNull();
    expect(actionRefusal({}, "c", "a")).toBeNull();
  });

  it("an empty allowlist lets nothing pass; the list that does not match the mode is ignored", () => {
    expect(connectorRefusal({ connectors: { mode: "allowlist" } }, "c")?.restriction).toBe("connectors");
    expect(
      connectorRefusal({ connectors: { mode: "allowlist", blockedIds: ["x"], allowedIds: ["c"] } }, "c"),
    ).toBeNull();
    expect(
      connectorRefusal({ connectors: { mode: "blocklist", allowedIds: ["c"], blockedIds: ["c"] } }, "c"),
    ).not.toBeNull();
  });

  it("matches an action by its bare id or by connectorId:actionId", () => {
    const bare = { actions: { mode: "blocklist" as const, blockedActions: ["send"] } };
    expect(actionRefusal(bare, "slack", "send")?.restriction).toBe("actions");
    expect(actionRefusal(bare, "mail", "send")?.restriction).toBe("actions");
    const qualified = { actions: { mode: "allowlist" as const, allowedActions: ["slack:send"] } };
    expect(actionRefusal(qualified, "slack", "send")).toBeNull();
    expect(actionRefusal(qualified, "mail", "send")?.message).toMatch(/mail:send/);
  });

  it("a blocked connector blocks its actions, naming the connectors restriction", () => {
    const r = { connectors: { mode: "blocklist" as const, blockedIds: ["slack"] } };
    expect(actionRefusal(r, "slack", "send")?.restriction).toBe("connectors");
  });

  it("decides users by allowlist or blocklist", () => {
    expect(userRefusal({ users: { mode: "allowlist", allowedIds: ["a"] } }, "a")).toBeNull();
    expect(userRefusal({ users: { mode: "allowlist", allowedIds: ["a"] } }, "b")?.restriction).toBe("users");
    expect(userRefusal({ users: { mode: "blocklist", blockedIds: ["b"] } }, "b")).not.toBeNull();
  });
});
