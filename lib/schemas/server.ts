// The server resource's validation rules (docs/api.md section 3), shared by the route handlers and the
// dashboard's forms so both reject exactly the same input. The `.meta()` descriptions and examples go into
// the OpenAPI document (lib/openapi/document.ts), which is generated from these very schema objects.
import { z } from "zod";
import type { ZodOpenApiOverrideMetaContext } from "zod-openapi";

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_ARRAY_ITEMS = 1_000;
export const MAX_USER_ID_LENGTH = 10_000;
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_GRACE_SECONDS = 86_400;

// Letters and digits of any script; inside also space, "-" and "_".
const NAME_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N} _-]*[\p{L}\p{N}])?$/u;

export const serverNameSchema = z
  .string()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters")
  .refine((name) => name.trim() === name, "Name must not start or end with whitespace")
  // A regex check rather than a refinement so that the pattern shows in the OpenAPI document.
  .regex(
    NAME_PATTERN,
    "Name must start and end with a letter or digit and contain only letters, digits, spaces, '-' and '_'",
  )
  .meta({
    description:
      "Unique per account and owner, case-insensitively. Starts and ends with a letter or digit; inside also space, '-' and '_'",
    examples: ["Production Server"],
  });

const textSchema = z
  .string()
  .max(MAX_TEXT_LENGTH, `Must be at most ${MAX_TEXT_LENGTH.toLocaleString("en")} characters`);

const restrictionValue = z.string().min(1, "Must not be empty").max(MAX_TEXT_LENGTH);
const valueList = z
  .array(restrictionValue)
  .max(MAX_ARRAY_ITEMS, `At most ${MAX_ARRAY_ITEMS.toLocaleString("en")} items`);
const restrictionMode = z.enum(["allowlist", "blocklist"]).meta({
  description:
    "allowlist: only the listed values pass (an empty list lets nothing pass); blocklist: the listed values are refused. The list that does not match the mode is kept but ignored",
});

export const idRestrictionSchema = z.strictObject({
  mode: restrictionMode,
  allowedIds: valueList.optional(),
  blockedIds: valueList.optional(),
});

export const actionRestrictionSchema = z
  .strictObject({
    mode: restrictionMode,
    allowedActions: valueList.optional(),
    blockedActions: valueList.optional(),
  })
  .meta({ description: "A value matches the bare action id or `connectorId:actionId`" });

export const restrictionsSchema = z
  .strictObject({
    connectors: idRestrictionSchema.optional().meta({ description: "Which connectors the server exposes" }),
    actions: actionRestrictionSchema.optional(),
    users: idRestrictionSchema.optional().meta({ description: "Which end users may use a public server" }),
  })
  .meta({
    id: "Restrictions",
    description: "Every part optional; an update replaces the whole object",
    examples: [
      {
        connectors: { mode: "allowlist", allowedIds: ["slack", "github"] },
        actions: { mode: "blocklist", blockedActions: ["slack:delete_message"] },
      },
    ],
  });

export const tokenExpiresInDaysSchema = z
  .number()
  .int("Must be a whole number of days")
  .min(1, "Must be at least 1 day")
  .max(365, "Must be at most 365 days")
  .meta({ description: "Lifetime of the minted access token, in days", default: DEFAULT_TOKEN_DAYS, examples: [30] });

const descriptionSchema = textSchema.meta({ examples: ["Tools for the support bot"] });
const customInstructionsSchema = textSchema.meta({
  description: "Sent to MCP clients as the instructions of `initialize`",
  examples: ["Prefer read-only actions."],
});
const isPublicSchema = z.boolean().meta({
  description: "A public server lets end users identify themselves (x-alloy-userid or x-alloy-user-token)",
});

export const createServerSchema = z
  .strictObject({
    name: serverNameSchema,
    description: descriptionSchema.optional(),
    customInstructions: customInstructionsSchema.optional(),
    isPublic: isPublicSchema.optional(),
    tokenExpiresInDays: tokenExpiresInDaysSchema.optional(),
    restrictions: restrictionsSchema.optional(),
  })
  .meta({ id: "CreateServerRequest", description: "Unknown fields are refused" });

export const updateServerSchema = z
  .strictObject({
    name: serverNameSchema.optional(),
    description: descriptionSchema.optional(),
    customInstructions: customInstructionsSchema.optional(),
    isPublic: isPublicSchema.optional(),
    restrictions: restrictionsSchema.optional(),
  })
  .meta({ id: "UpdateServerRequest", description: "Omitted fields keep their value; unknown fields are refused" });

export const rotateTokenSchema = z
  .strictObject({
    tokenExpiresInDays: tokenExpiresInDaysSchema.optional(),
    graceSeconds: z
      .number()
      .int("Must be a whole number of seconds")
      .min(0, "Must be at least 0")
      .max(MAX_GRACE_SECONDS, `Must be at most ${MAX_GRACE_SECONDS} (one day)`)
      .optional()
      .meta({ description: "How long the old token stays valid", default: 0, examples: [3600] }),
  })
  .meta({ id: "RotateServerTokenRequest", description: "An empty body stands for `{}`" });

const integerParam = (min: number, max: number, fallback: number, description: string) =>
  z
    .string()
    .regex(/^\d+$/, "Must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `Must be at least ${min}`).max(max, `Must be at most ${max}`))
    .optional()
    .transform((value) => value ?? fallback)
    .meta({
      description,
      // A query value is text, but what it must spell is an integer in this range: say that, not "a string".
      override: ({ jsonSchema }: ZodOpenApiOverrideMetaContext) => {
        delete jsonSchema.pattern;
        Object.assign(jsonSchema, { type: "integer", minimum: min, maximum: max, default: fallback });
      },
    });

export const listServersQuerySchema = z.object({
  limit: integerParam(1, 1000, 50, "Page size"),
  offset: integerParam(0, Number.MAX_SAFE_INTEGER, 0, "How many servers to skip"),
  q: z
    .string()
    .max(100, "Must be at most 100 characters")
    .optional()
    .meta({ description: "Only servers whose name contains this, case-insensitively", examples: ["support"] }),
  // Beyond Alloy: the dashboard sorts by creation time both ways (newest first stays the default).
  order: z
    .enum(["newest", "oldest"], { message: "Must be newest or oldest" })
    .optional()
    .meta({ description: "Sort by creation time (default newest first)" }),
});

export const deleteServerQuerySchema = z.object({
  dryRun: z
    .enum(["true", "false"], { message: "Must be true or false" })
    .optional()
    .transform((value) => value === "true")
    .meta({
      description:
        "`true`: delete nothing and answer what the delete would remove (the dashboard's confirm dialog). Beyond Alloy",
      override: { default: "false" },
    }),
});

export type Restrictions = z.infer<typeof restrictionsSchema>;
export type CreateServerInput = z.infer<typeof createServerSchema>;
export type UpdateServerInput = z.infer<typeof updateServerSchema>;
export type RotateTokenInput = z.infer<typeof rotateTokenSchema>;
export type ListServersQuery = z.infer<typeof listServersQuerySchema>;

/** docs/api.md: the name lower-cased, runs outside [a-z0-9] become "-", at most 40 characters, then 8 hex digits. */
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
