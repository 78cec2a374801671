import "server-only";
import { z } from "zod";
import { db } from "@/server/db";
import { ApiError } from "@/server/errors";
import { isUniqueViolation } from "@/server/db-errors";
import { hashPassword, newId } from "@/server/secrets";

export const createAccountSchema = z.strictObject({
  email: z
    .email("Must be an email address")
    .max(320)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(8, "Password must be at least 8 characters").max(200),
  name: z.string().trim().min(1).max(100).optional(),
});

/** Creates an account and its owner (a dashboard user). */
export async function createAccount(input: z.input<typeof createAccountSchema>) {
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
