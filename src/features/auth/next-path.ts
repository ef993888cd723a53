const BASE = "http://aura.invalid";

/** Where a signed-in user lands when there is no (safe) `next`. */
export const HOME = "/projects";
// Backslashes (browsers read them as slashes) and C0/C1 control characters (stripped or
// split on by parsers and headers) never belong in a path to return to.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f]/;

/**
 * The path on this site to go to after signing in, or undefined. The value is resolved as a
 * browser would resolve it (`new URL(next, origin)`: dot segments, `%2e`, duplicate slashes)
 * and the *result* is checked and returned: it must stay on this origin and start with exactly
 * one `/`, so `/.//evil.example` (which resolves to `//evil.example`) is refused rather than
 * emitted. Call it wherever a `next` is read and again wherever one is followed.
 */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== "string" || !next.startsWith("/") || UNSAFE.test(next)) return undefined;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//") || UNSAFE.test(path)) return undefined;
  return path;
}
