import "server-only";

export type ErrorCode =
  | "INVALID_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "INTERNAL_ERROR"
  | "CONNECTOR_NOT_FOUND"
  | "ACTION_NOT_FOUND"
  | "CREDENTIAL_NOT_FOUND";

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
    readonly details?: Record<string, unknown>,
    status?: number,
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status ?? defaultStatus[code];
  }

  toJSON() {
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
