import { timingSafeEqual } from "node:crypto";

/**
 * Whether a presented secret (token, CSRF token, OAuth state) equals the expected one, in a
 * time that does not depend on where they differ. Different lengths answer at once: the
 * length is not the secret.
 */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
