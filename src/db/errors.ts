/**
 * The SQLSTATE of a database error from either driver: postgres.js and PGlite both put
 * it in `code`, and drizzle wraps driver errors with the original as `cause`.
 */
export function sqlState(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code;
    // Node's own errors also use `code` (ECONNREFUSED); SQLSTATEs are five characters.
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether the error is a unique-constraint violation (SQLSTATE 23505) on either driver. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === "23505";
}

/**
 * A one-line reason for a database failure. drizzle's wrapper message repeats the whole
 * query ("Failed query: ..."), so the innermost cause, the driver's own words, is used.
 */
export function describeDbError(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}
