import "server-only";
import { type z } from "zod";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { isUniqueViolation } from "@/server/db-errors";
import { hashPassword, newId } from "@/server/secrets";
import { signUpSchema } from "@/lib/schemas/account";
import { type RemovedMember, type SignUpResult } from "@/lib/schemas/account-responses";

export const createAccountSchema = signUpSchema;

/** Creates an account and its owner (a dashboard user). */
export async function createAccount(input: z.input<typeof createAccountSchema>): Promise<SignUpResult> {
  const { email, password, name } = createAccountSchema.parse(input);
  const accountId = newId("acc");
  const userId = newId("usr");
  const passwordHash = await hashPassword(password);
  try {
    await db().$transaction([
      db().account.create({ data: { id: accountId, name: name ?? email } }),
      db().user.create({ data: { id: userId, accountId, email, name: name ?? null, passwordHash, role: "OWNER" } }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("CONFLICT", `A user with email ${email} already exists`, { field: "email" });
    }
    throw error;
  }
  return { accountId, userId };
}

export async function findUserByEmail(email: string) {
  const user = await db().user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user) throw new ApiError("NOT_FOUND", `No user with email ${email}`);
  return user;
}

/** The dashboard users of an account (owner and members). */
export function listMembers(accountId: string) {
  return db().user.findMany({
    where: { accountId },
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
  });
}

/** Adds a member (role MEMBER) to an account. Only the owner may do it. */
export async function addMember(
  accountId: string,
  actorRole: "OWNER" | "MEMBER",
  input: z.output<typeof signUpSchema>,
) {
  if (actorRole !== "OWNER") throw new ApiError("FORBIDDEN", "Only the account owner can add members");
  const passwordHash = await hashPassword(input.password);
  try {
    return await db().user.create({
      data: { id: newId("usr"), accountId, email: input.email, name: input.name ?? null, passwordHash, role: "MEMBER" },
      select: { id: true, email: true, name: true, role: true, createdAt: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("CONFLICT", `A user with email ${input.email} already exists`, { field: "email" });
    }
    throw error;
  }
}

export async function roleOf(userId: string): Promise<"OWNER" | "MEMBER"> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { role: true } });
  return user?.role ?? "MEMBER";
}

/**
 * Refuses a dashboard member what only the owner may do: credentials that can act as any end user of
 * the account (an API key with canActAsAnyUser, a JWT signing key: its holder signs any userId).
 */
export async function requireOwner(userId: string, message: string) {
  if ((await roleOf(userId)) !== "OWNER") throw new ApiError("FORBIDDEN", message);
}

/**
 * Removes a member (issue #12 finding 12): the user row, so every session cookie of theirs answers 401 at
 * once (the user is looked up on every request), and the API keys that act as them. Only the owner may,
 * and never themselves. Servers and credentials of their end-user id stay: they belong to the account.
 */
export async function removeMember(accountId: string, actorUserId: string, memberId: string): Promise<RemovedMember> {
  await requireOwner(actorUserId, "Only the account owner can remove members");
  const notFound = () => new ApiError("NOT_FOUND", "Member not found");
  await db().$transaction(async (tx) => {
    const member = await tx.user.findFirst({ where: { id: memberId, accountId }, select: { role: true } });
    if (!member) throw notFound();
    if (member.role === "OWNER") throw new ApiError("FORBIDDEN", "The account owner cannot be removed");
    await tx.apiKey.deleteMany({ where: { accountId, defaultUserId: memberId } });
    const { count } = await tx.user.deleteMany({ where: { id: memberId, accountId, role: "MEMBER" } });
    if (count === 0) throw notFound();
  });
  return { message: "Member removed", id: memberId };
}
