/** True when the caller is the JSON face: `/api/…`, or a client that asks for JSON over HTML. */
export function wantsJson(request: Request): boolean {
  const path = new URL(request.url).pathname;
  if (path.startsWith("/api/") && path !== "/api/docs") return true;
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/** True when the caller asked for server-sent events (`Accept: text/event-stream`). */
export function wantsStream(request: Request): boolean {
  return (request.headers.get("accept") ?? "").toLowerCase().includes("text/event-stream");
}
