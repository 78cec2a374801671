// The API project: a backend deletes a server with a Bearer API key, no browser involved.
import { expect, test } from "../fixtures";

test("DELETE /api/servers/{id} with a Bearer key", async ({ request, account, seed }) => {
  const auth = { authorization: `Bearer ${account.apiKey}` };
  const created = await request.post("/api/servers", { data: { name: "Production Server" }, headers: auth });
  expect(created.status()).toBe(201);
  const { serverId, accessUrl } = await created.json();

  const preview = await request.delete(`/api/servers/${serverId}?dryRun=true`, { headers: auth });
  expect(await preview.json()).toMatchObject({ dryRun: true, serverId, impact: { accessTokens: 1 } });

  expect((await request.delete(`/api/servers/${serverId}`)).status()).toBe(401);
  const res = await request.delete(`/api/servers/${serverId}`, { headers: auth });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ message: "Server deleted", serverId });
  expect(await seed.serverExists(serverId)).toBe(false);

  const again = await request.delete(`/api/servers/${serverId}`, { headers: auth });
  expect(again.status()).toBe(404);
  expect(await again.json()).toEqual({ error: { code: "NOT_FOUND", message: "Server not found" } });
  expect((await request.get(`/api/servers/${serverId}`, { headers: auth })).status()).toBe(404);
  expect(accessUrl).toContain(serverId);
});
