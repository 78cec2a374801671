// Accounts, sign-in, API keys, members and the audit log: the rules shared by the REST routes and the
// dashboard's forms.
import { z } from "zod";

const email = z
  .email("Must be an email address")
  .max(320, "Must be at most 320 characters")
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .min(8, "Password must be at least 8 characters")
  .max(200, "Password must be at most 200 characters");

export const signUpSchema = z.strictObject({
  email,
  password: passwordSchema,
  name: z.string().trim().min(1, "Must not be empty").max(100, "Must be at most 100 characters").optional(),
});

export const signInSchema = z.object({
  email,
  password: z.string().min(1, "Password is required").max(200),
});

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, "Name is required").max(100, "Must be at most 100 characters"),
  canActAsAnyUser: z.boolean().optional(),
});

export const createMemberSchema = signUpSchema;

const integerParam = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, "Must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `Must be at least ${min}`).max(max, `Must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback);

export const AUDIT_ACTIONS = [
  "server.created",
  "server.updated",
  "server.token_rotated",
  "server.tokens_revoked",
  "server.deleted",
] as const;

export const auditQuerySchema = z.object({
  limit: integerParam(1, 200, 50),
  offset: integerParam(0, Number.MAX_SAFE_INTEGER, 0),
  serverId: z.string().min(1).max(100).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  q: z.string().max(100, "Must be at most 100 characters").optional(),
});

export const idParamsSchema = z.object({ id: z.string().regex(/^[a-z]+_[0-9a-f]{32}$|^kid_[0-9a-f]{24}$/) });

export type SignUpInput = z.input<typeof signUpSchema>;
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
export type AuditQuery = z.infer<typeof auditQuerySchema>;
