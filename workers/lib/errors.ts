/** Error codes and the HTTP status each maps to; only the HTTP layer reads the status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rule_violation: 422,
  rate_limited: 429,
  internal: 500,
  misconfigured: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type domain and HTTP code throw; `message` must be safe to show to the caller. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds, for 429 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }
}

export const NotFoundError = (what: string) => new AppError("not_found", `${what} not found`);
export const ConflictError = (message: string, details?: unknown) =>
  new AppError("conflict", message, details);
export const RuleError = (message: string, details?: unknown) =>
  new AppError("rule_violation", message, details);
export const UnauthorizedError = (message = "Authentication required") =>
  new AppError("unauthorized", message);
export const ForbiddenError = (message = "Your role does not allow this") =>
  new AppError("forbidden", message);
