import "server-only";
import type { ErrorCode, ErrorDetails, ErrorEnvelope } from "@/lib/schemas/error";

export type { ErrorCode };

const defaultStatus: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  CONNECTOR_NOT_FOUND: 404,
  ACTION_NOT_FOUND: 404,
  CREDENTIAL_NOT_FOUND: 400,
};

/** The one error class of the API: everything a handler throws on purpose is one of these. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Typed by the envelope schema of the OpenAPI document: a new shape of details must be documented there. */
    readonly details?: ErrorDetails,
    status?: number,
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status ?? defaultStatus[code];
  }

  toJSON(): ErrorEnvelope {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const serverNotFound = () => new ApiError("NOT_FOUND", "Server not found");
