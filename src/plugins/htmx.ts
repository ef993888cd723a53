/** True for requests htmx made (it always sends `HX-Request: true`). */
export function isHtmx(request: Request): boolean {
  return request.headers.get("hx-request") === "true";
}

/**
 * True when htmx will swap the answer into part of the page, so a partial is enough. Requests
 * that target the whole body (HX-Location follow-ups, boosted links) say `HX-Request-Type: full`
 * and get the full page, which htmx unwraps itself.
 */
export function wantsFragment(request: Request): boolean {
  return isHtmx(request) && request.headers.get("hx-request-type") !== "full";
}

/** An HTML response with the given status and extra headers. */
export function html(body: JSX.Element, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body as string, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...headers },
  });
}

/**
 * Send the browser on after a successful form post: 303 for plain forms (post/redirect/get),
 * and for htmx a 200 with `HX-Location`, which htmx follows without a full reload.
 * `full` uses `HX-Redirect` instead (a real page load), e.g. after signing out.
 */
export function redirectAfterPost(request: Request, location: string, { full = false } = {}): Response {
  if (isHtmx(request)) {
    return new Response(null, { status: 200, headers: { [full ? "hx-redirect" : "hx-location"]: location } });
  }
  return new Response(null, { status: 303, headers: { location } });
}
