// Issue #12 finding 12: a member could not be removed (DELETE /api/members/{id} was 405). The owner removes
// a member now, and their dashboard session and API keys go with them.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createApiKey } from "@/server/services/api-keys";
import { browser, createTenant, sessionCookie } from "@/test/factories";
import { bearer, call } from "@/test/route-client";

let owner: Awaited<ReturnType<typeof createTenant>>;
let ownerSession: Record<string, string>;
let other: Awaited<ReturnType<typeof createTenant>>;

beforeAll(async () => {
  owner = await createTenant();
  ownerSession = browser(await sessionCookie(owner.userId));
  other = await createTenant();
});

let counter = 0;
async function addMember() {
  const email = `member-${++counter}-${Date.now()}@example.com`;
  const res = await call("POST", "/api/members", {
    headers: ownerSession,
    body: { email, password: "a long member password" },
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const key = await createApiKey(owner.accountId, { defaultUserId: id });
  return { id, email, key: key.key, cookie: browser(await sessionCookie(id)) };
}

describe("DELETE /api/members/{id}", () => {
  it("the owner removes a member: their user, sessions and API keys are gone", async () => {
    const member = await addMember();
    expect((await call("GET", "/api/servers", { headers: member.cookie })).status).toBe(200);
    expect((await call("GET", "/api/servers", { headers: bearer(member.key) })).status).toBe(200);

    const res = await call("DELETE", `/api/members/${member.id}`, { headers: ownerSession });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Member removed", id: member.id });

    expect(await db().user.count({ where: { id: member.id } })).toBe(0);
    expect(await db().apiKey.count({ where: { accountId: owner.accountId, defaultUserId: member.id } })).toBe(0);
    const session = await call("GET", "/api/servers", { headers: member.cookie });
    expect(session.status).toBe(401);
    expect((await call("GET", "/api/servers", { headers: bearer(member.key) })).status).toBe(401);
    const members = await call("GET", "/api/members", { headers: ownerSession });
    expect(members.body.members.map((m: { id: string }) => m.id)).not.toContain(member.id);
    // The owner's own key still works.
    expect((await call("GET", "/api/servers", { headers: bearer(owner.key) })).status).toBe(200);
  });

  it("a member cannot remove anyone (403) and nothing changes", async () => {
    const member = await addMember();
    const victim = await addMember();
    for (const id of [victim.id, owner.userId]) {
      const res = await call("DELETE", `/api/members/${id}`, { headers: member.cookie });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: "FORBIDDEN", message: "Only the account owner can remove members" } });
    }
    expect(await db().user.count({ where: { id: { in: [victim.id, owner.userId] } } })).toBe(2);
  });

  it("the owner cannot remove themselves (403)", async () => {
    const res = await call("DELETE", `/api/members/${owner.userId}`, { headers: ownerSession });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: "FORBIDDEN", message: "The account owner cannot be removed" } });
  });

  it("another account's user and an unknown id answer 404 alike", async () => {
    for (const id of [other.userId, "usr_doesnotexist"]) {
      const res = await call("DELETE", `/api/members/${id}`, { headers: ownerSession });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: "Member not found" } });
    }
    expect(await db().user.count({ where: { id: other.userId } })).toBe(1);
  });

  it("takes a session only: an API key of the owner is 403", async () => {
    const member = await addMember();
    const res = await call("DELETE", `/api/members/${member.id}`, { headers: bearer(owner.key) });
    expect(res.status).toBe(403);
    expect(await db().user.count({ where: { id: member.id } })).toBe(1);
  });
});
