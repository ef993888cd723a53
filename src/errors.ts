/**
 * The errors services throw. The error plugin maps each to its status and to the
 * the API's error body `{error:{code,message,errorId?}}`; anything else is a 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; extra?: Record<string, unknown>; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.extra = options?.extra;
    this.headers = options?.headers;
  }
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;
}

/** 400: a field failed validation; the message names the field. */
export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(400, "invalid_request", message);
  }
}

/** 401: no credentials, or credentials that do not check out. */
export class UnauthorizedError extends AppError {
  constructor(message = "Authentication required", code = "unauthorized") {
    super(401, code, message);
  }
}

/** 403: authenticated but not allowed (including a failed CSRF check). */
export class ForbiddenError extends AppError {
  constructor(message = "Forbidden", code = "forbidden") {
    super(403, code, message);
  }
}

/** 404: missing, or owned by someone else — the two are indistinguishable on purpose. */
export class NotFoundError extends AppError {
  constructor(what = "Resource") {
    super(404, "not_found", `${what} not found`);
  }
}

/** 409: a stale version or a duplicate; `extra` is merged into the body. */
export class ConflictError extends AppError {
  constructor(message: string, extra?: Record<string, unknown>) {
    super(409, "conflict", message, { extra });
  }
}

/**
 * 413: a body or stored object over its limit. `closeConnection` when the rest of the body was
 * not read: the server then closes the connection instead of draining what the client still sends.
 */
export class PayloadTooLargeError extends AppError {
  constructor(message = "Request body is too large", options: { closeConnection?: boolean } = {}) {
    super(413, "payload_too_large", message, {
      ...(options.closeConnection ? { headers: { connection: "close" } } : {}),
    });
  }
}

/** 431: the URL is over its limit (the status Bun gives a request head over its own cap). */
export class UriTooLongError extends AppError {
  constructor(message: string) {
    super(431, "url_too_long", message);
  }
}

/** 429: rate limited; always carries Retry-After. */
export class RateLimitError extends AppError {
  constructor(retryAfterSeconds: number, message = "Too many requests") {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, "rate_limited", message, { headers: { "retry-after": String(seconds) } });
  }
}

/** 502: an upstream answered badly. The message says which upstream. */
export class UpstreamError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(502, "upstream_error", message, { cause });
  }
}

/** 503: a dependency is unavailable. The message says which. */
export class UnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(503, "unavailable", message, { cause });
  }
}
