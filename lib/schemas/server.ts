// The server resource's validation rules (API.md section 3), shared by the route handlers and the
// dashboard's forms so both reject exactly the same input.
import { z } from "zod";

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_ARRAY_ITEMS = 1_000;
export const MAX_USER_ID_LENGTH = 10_000;

// Letters and digits of any script; inside also space, "-" and "_".
const NAME_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N} _-]*[\p{L}\p{N}])?$/u;

export const serverNameSchema = z
  .string()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .refine((name) => name.trim() === name, "Name must not start or end with whitespace")
  .refine(
    (name) => NAME_PATTERN.test(name),
    "Name must start and end with a letter or digit and contain only letters, digits, spaces, '-' and '_'",
  );

const textSchema = z
  .string()
  .max(MAX_TEXT_LENGTH, `Must be at most ${MAX_TEXT_LENGTH.toLocaleString("en")} characters`);

const restrictionValue = z.string().min(1, "Must not be empty").max(MAX_TEXT_LENGTH);
const valueList = z
  .array(restrictionValue)
  .max(MAX_ARRAY_ITEMS, `At most ${MAX_ARRAY_ITEMS.toLocaleString("en")} items`);
const restrictionMode = z.enum(["allowlist", "blocklist"]);

export const idRestrictionSchema = z.strictObject({
  mode: restrictionMode,
  allowedIds: valueList.optional(),
  blockedIds: valueList.optional(),
});

export const actionRestrictionSchema = z.strictObject({
  mode: restrictionMode,
  allowedActions: valueList.optional(),
  blockedActions: valueList.optional(),
});

export const restrictionsSchema = z.strictObject({
  connectors: idRestrictionSchema.optional(),
  actions: actionRestrictionSchema.optional(),
  users: idRestrictionSchema.optional(),
});

export const tokenExpiresInDaysSchema = z
  .number()
  .int("Must be a whole number of days")
  .min(1, "Must be at least 1 day")
  .max(365, "Must be at most 365 days");

export const createServerSchema = z.strictObject({
  name: serverNameSchema,
  description: textSchema.optional(),
  customInstructions: textSchema.optional(),
  isPublic: z.boolean().optional(),
  tokenExpiresInDays: tokenExpiresInDaysSchema.optional(),
  restrictions: restrictionsSchema.optional(),
});

export const updateServerSchema = z.strictObject({
  name: serverNameSchema.optional(),
  description: textSchema.optional(),
  customInstructions: textSchema.optional(),
  isPublic: z.boolean().optional(),
  restrictions: restrictionsSchema.optional(),
});

export const rotateTokenSchema = z.strictObject({
  tokenExpiresInDays: tokenExpiresInDaysSchema.optional(),
  graceSeconds: z
    .number()
    .int("Must be a whole number of seconds")
    .min(0, "Must be at least 0")
    .max(86_400, "Must be at most 86400 (one day)")
    .optional(),
});

const integerParam = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, "Must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `Must be at least ${min}`).max(max, `Must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback);

export const listServersQuerySchema = z.object({
  limit: integerParam(1, 1000, 50),
  offset: integerParam(0, Number.MAX_SAFE_INTEGER, 0),
  q: z.string().max(100, "Must be at most 100 characters").optional(),
  // Beyond Alloy: the dashboard sorts by creation time both ways (newest first stays the default).
  order: z.enum(["newest", "oldest"], { message: "Must be newest or oldest" }).optional(),
});

export const deleteServerQuerySchema = z.object({
  dryRun: z
    .enum(["true", "false"], { message: "Must be true or false" })
    .optional()
    .transform((value) => value === "true"),
});

export type Restrictions = z.infer<typeof restrictionsSchema>;
export type CreateServerInput = z.infer<typeof createServerSchema>;
export type UpdateServerInput = z.infer<typeof updateServerSchema>;
export type RotateTokenInput = z.infer<typeof rotateTokenSchema>;
export type ListServersQuery = z.infer<typeof listServersQuerySchema>;

/** API.md: the name lower-cased, runs outside [a-z0-9] become "-", at most 40 characters, then 8 hex digits. */
export function serverIdSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "server";
}

export const SERVER_ID_PATTERN = /^[a-z0-9-]{1,41}-[0-9a-f]{8}$/;
