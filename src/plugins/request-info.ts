/** Per-request facts the access log needs from deeper hooks, without touching the request object. */
const info = new WeakMap<Request, { route?: string; errorId?: string }>();

export function noteRoute(request: Request, route: string): void {
  info.set(request, { ...info.get(request), route });
}

export function noteErrorId(request: Request, errorId: string): void {
  info.set(request, { ...info.get(request), errorId });
}

export function requestInfo(request: Request): { route?: string; errorId?: string } {
  return info.get(request) ?? {};
}
