/**
 * Who is asking shapes almost every answer (pages, fragments, JSON, redirects that set session
 * cookies), so nothing may be kept by a browser or a proxy: after signing out, Back would show
 * the last user's projects from the cache. A response without its own Cache-Control gets
 * `no-store` and varies on the credential its face reads: the session cookie on the HTML face,
 * the Authorization header on the JSON face. Routes that serve everyone the same bytes (hashed
 * assets, the service worker, the API document, health) set their own policy and are left alone.
 *
 * `no-store`, not `private, no-cache`: pages carry no validators, so revalidation would refetch
 * the whole body anyway and keeping a copy would gain nothing. (The offline service worker keeps
 * project pages through the Cache API, which does not read these headers, and drops them on sign-out.)
 */
function withCachePolicy(request: Request, response: Response): Response {
  if (response.headers.has("cache-control")) return response;
  const credential = new URL(request.url).pathname.startsWith("/api/") ? "Authorization" : "Cookie";
  try {
    response.headers.set("cache-control", "no-store");
    response.headers.append("vary", credential);
    return response;
  } catch {
    // Immutable headers (a Response from fetch or Response.redirect): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set("cache-control", "no-store");
    copy.headers.append("vary", credential);
    return copy;
  }
}

type Handler = (...args: unknown[]) => unknown;

/** An app-level wrap (like `transport`) that applies the policy to every response, errors included. */
export function cachePolicy() {
  return (fn: Handler, request: Request) =>
    async (...args: unknown[]): Promise<Response> =>
      withCachePolicy(request, (await fn(...args)) as Response);
}
