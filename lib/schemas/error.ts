// The error envelope of every REST route (docs/api.md section 4). The codes live here, not in server/, so the
// OpenAPI document and ApiError share one list; ApiError's toJSON() is type-checked against these schemas.
import { z } from "zod";

export const errorCodeSchema = z.enum([
  "INVALID_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INTERNAL_ERROR",
  "CONNECTOR_NOT_FOUND",
  "ACTION_NOT_FOUND",
  "CREDENTIAL_NOT_FOUND",
]);

export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** details of a 400 from zod validation: one entry per failed check. */
export const validationIssuesSchema = z
  .object({
    issues: z.array(
      z.object({
        path: z.string().meta({
          description: 'Dot-separated path of the offending field, "(root)" for the whole body or query',
          examples: ["name"],
        }),
        fields: z
          .array(z.string())
          .optional()
          .meta({ description: "The unknown fields, when the check that failed is the one against unknown fields" }),
        message: z.string().meta({ examples: ["Name is required"] }),
      }),
    ),
  })
  .meta({ description: "Which checks failed (400 from validation)" });

/** details naming the one field an error is about (a 409 name clash, a 400 on a header). */
export const fieldDetailsSchema = z
  .object({ field: z.string().meta({ examples: ["name"] }) })
  .meta({ description: "The field the error is about" });

export const errorDetailsSchema = z.union([validationIssuesSchema, fieldDetailsSchema]);
export type ErrorDetails = z.infer<typeof errorDetailsSchema>;

/** `id` names the schema's component in the OpenAPI document. */
function envelope<C extends z.ZodType<ErrorCode>>(code: C, id: string, description: string) {
  return z
    .object({
      error: z.object({
        code,
        message: z.string().meta({ description: "Human readable; never contains internals" }),
        details: errorDetailsSchema.optional(),
      }),
    })
    .meta({ id, description });
}

/** Any error of the API, MCP routes included. The per-status schemas below narrow the code to what the REST routes answer. */
export const errorEnvelopeSchema = envelope(errorCodeSchema, "ErrorEnvelope", "The error envelope of every route");
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export const invalidRequestErrorSchema = envelope(
  errorCodeSchema.extract(["INVALID_REQUEST"]),
  "InvalidRequestError",
  "400: the request is malformed (details name the fields); 413: the body is over 10 MB",
);
export const unauthorizedErrorSchema = envelope(
  errorCodeSchema.extract(["UNAUTHORIZED"]),
  "UnauthorizedError",
  "Credential missing, malformed, unknown, revoked or expired",
);
export const forbiddenErrorSchema = envelope(
  errorCodeSchema.extract(["FORBIDDEN"]),
  "ForbiddenError",
  "Valid credential that may not do this",
);
export const notFoundErrorSchema = envelope(
  errorCodeSchema.extract(["NOT_FOUND"]),
  "NotFoundError",
  "No such resource in the caller's account",
);
export const conflictErrorSchema = envelope(
  errorCodeSchema.extract(["CONFLICT"]),
  "ConflictError",
  "The change clashes with existing data",
);
export const rateLimitedErrorSchema = envelope(
  errorCodeSchema.extract(["RATE_LIMITED"]),
  "RateLimitedError",
  "Too many requests for this credential",
);
export const internalErrorSchema = envelope(
  errorCodeSchema.extract(["INTERNAL_ERROR"]),
  "InternalError",
  "Unexpected failure; no internals are disclosed",
);
export const connectorNotFoundErrorSchema = envelope(
  errorCodeSchema.extract(["CONNECTOR_NOT_FOUND"]),
  "ConnectorNotFoundError",
  "No such connector in the caller's account",
);
export const credentialRequestErrorSchema = envelope(
  errorCodeSchema.extract(["INVALID_REQUEST", "CREDENTIAL_NOT_FOUND"]),
  "CredentialRequestError",
  "400 of the credential routes: the request is malformed, or the credential is not one of the calling end user's for this connector",
);
