/** True when the caller is the JSON face: `/api/…`, or a client that asks for JSON over HTML. */
export function wantsJson(request: Request): boolean {
  const path = new URL(request.url).pathname;
  if (path.startsWith("/api/") && path !== "/api/docs") return true;
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}
