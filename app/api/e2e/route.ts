// POST /api/e2e — test-only seeding for the Playwright suite; answers 404 unless E2E_SEED_SECRET is set (docs/decisions/0005).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { apiRoute } from "@/server/api-route";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { createAccount } from "@/server/services/accounts";
import { createApiKey } from "@/server/services/api-keys";
import { safeEqual, sha256 } from "@/server/secrets";
import { serverIdSlug } from "@/lib/schemas/server";

const bodySchema = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("createUser"), email: z.string(), password: z.string(), name: z.string().optional() }),
  z.strictObject({
    op: z.literal("seedServers"),
    userId: z.string(),
    count: z.number().int().min(1).max(20_000),
    prefix: z.string().min(1).max(40),
  }),
  z.strictObject({ op: z.literal("serverExists"), serverId: z.string() }),
  z.strictObject({ op: z.literal("deleteAccount"), accountId: z.string() }),
  z.strictObject({ op: z.literal("deleteAccountOf"), email: z.string() }),
]);

// Outside the e2e suite this route does not exist: without the secret configured it is a plain 404,
// and with it every call must carry the secret.
function checkSecret(request: Request) {
  const configured = process.env.E2E_SEED_SECRET;
  const sent = request.headers.get("x-e2e-seed-secret") ?? "";
  if (!configured || configured.length < 32 || !safeEqual(sha256(sent), sha256(configured))) {
    throw new ApiError("NOT_FOUND", "Not found");
  }
}

export const POST = apiRoute({ auth: "none", body: bodySchema }, async ({ request, body }) => {
  checkSecret(request);
  switch (body.op) {
    case "createUser": {
      const { accountId, userId } = await createAccount({
        email: body.email,
        password: body.password,
        name: body.name,
      });
      const key = await createApiKey(accountId, { name: "e2e", defaultUserId: userId });
      return { status: 201, body: { accountId, userId, email: body.email.toLowerCase(), apiKey: key.key } };
    }
    case "seedServers": {
      const user = await db().user.findUniqueOrThrow({ where: { id: body.userId } });
      const start = Date.now() - body.count * 1000;
      const rows = Array.from({ length: body.count }, (_, i) => {
        const name = `${body.prefix} ${String(i + 1).padStart(5, "0")}`;
        return {
          id: `${serverIdSlug(name)}-${randomBytes(4).toString("hex")}`,
          accountId: user.accountId,
          ownerUserId: user.id,
          ownerKey: sha256(user.id),
          name,
          nameKey: name.toLowerCase(),
          // One second apart, so "newest first" is the reverse of the numbering.
          createdAt: new Date(start + i * 1000),
        };
      });
      for (let i = 0; i < rows.length; i += 1000) await db().mcpServer.createMany({ data: rows.slice(i, i + 1000) });
      return { status: 201, body: { created: rows.length } };
    }
    case "serverExists":
      return { body: { exists: (await db().mcpServer.count({ where: { id: body.serverId } })) > 0 } };
    case "deleteAccountOf": {
      const user = await db().user.findUnique({ where: { email: body.email.toLowerCase() } });
      if (user) await deleteAccount(user.accountId);
      return { body: { deleted: !!user } };
    }
    case "deleteAccount":
      await deleteAccount(body.accountId);
      return { body: { deleted: true } };
  }
});

// Audit events have no foreign key (they outlive what they describe), so they go explicitly.
async function deleteAccount(accountId: string) {
  await db().$transaction([
    db().auditEvent.deleteMany({ where: { accountId } }),
    db().account.deleteMany({ where: { id: accountId } }),
  ]);
}
