// GET|POST /api/members — list the account's dashboard users, or (owner only) add a member.
import { apiRoute } from "@/server/api-route";
import { addMember, listMembers, roleOf } from "@/server/services/accounts";
import { createMemberSchema } from "@/lib/schemas/account";

export const GET = apiRoute({ auth: "session" }, async ({ principal }) => ({
  body: { members: await listMembers(principal.accountId) },
}));

export const POST = apiRoute({ auth: "session", body: createMemberSchema }, async ({ principal, body }) => ({
  status: 201,
  body: await addMember(principal.accountId, await roleOf(principal.userId), body),
}));
