// The API project: a backend deletes a server with a Bearer API key, no browser involved. Every answer is
// also checked against openapi.json, as the vitest suites' answers are.
import { type APIResponse } from "@playwright/test";
import { assertMatchesContract } from "../../test/openapi-contract";
import { expect, test } from "../fixtures";

async function checked(method: string, response: Promise<APIResponse>): Promise<APIResponse> {
  const res = await response;
  assertMatchesContract({
    method,
    url: res.url(),
    status: res.status(),
    headers: new Headers(res.headers()),
    text: await res.text(),
  });
  return res;
}

test("DELETE /api/servers/{id} with a Bearer key", async ({ request, account, seed }) => {
  const auth = { authorization: `Bearer ${account.apiKey}` };
  const created = await checked(
    "POST",
    request.post("/api/servers", { data: { name: "Production Server" }, headers: auth }),
  );
  expect(created.status()).toBe(201);
  const { serverId, accessUrl } = await created.json();

  const preview = await checked("DELETE", request.delete(`/api/servers/${serverId}?dryRun=true`, { headers: auth }));
  expect(await preview.json()).toMatchObject({ dryRun: true, serverId, impact: { accessTokens: 1 } });

  expect((await checked("DELETE", request.delete(`/api/servers/${serverId}`))).status()).toBe(401);
  const res = await checked("DELETE", request.delete(`/api/servers/${serverId}`, { headers: auth }));
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ message: "Server deleted", serverId });
  expect(await seed.serverExists(serverId)).toBe(false);

  const again = await checked("DELETE", request.delete(`/api/servers/${serverId}`, { headers: auth }));
  expect(again.status()).toBe(404);
  expect(await again.json()).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
  expect((await checked("GET", request.get(`/api/servers/${serverId}`, { headers: auth }))).status()).toBe(404);
  expect(accessUrl).toContain(serverId);
});
