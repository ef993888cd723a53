const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string is a UUID. Lookups check first so a malformed id from a URL is simply
 * "not found" instead of a database error (invalid input syntax for type uuid).
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
