/** `path` carrying `next` (an already validated same-site path) in its query, or `path` alone. */
export function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}
