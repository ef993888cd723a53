/**
 * The browser-hardening headers every response carries: errors, static files and 404s too.
 * The CSP allows no inline script and no eval, so markup must not use `hx-on` or `js:` values;
 * inline styles stay allowed because htmx injects its indicator stylesheet.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const ALWAYS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
};

const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Headers for one response; HSTS only in production, where Aura is served over HTTPS. With
 * PREVIEW_ORIGIN set, the editor's preview pane frames pages of that origin.
 */
function securityHeaders(production: boolean, previewOrigin?: string): Record<string, string> {
  const csp = previewOrigin
    ? `${CONTENT_SECURITY_POLICY}; frame-src 'self' ${previewOrigin}`
    : CONTENT_SECURITY_POLICY;
  const headers = { ...ALWAYS, "content-security-policy": csp };
  return production ? { ...headers, "strict-transport-security": HSTS } : headers;
}

/** Set the security headers on a finished response, copying it when its headers are immutable. */
function withSecurityHeaders(response: Response, production: boolean, previewOrigin?: string): Response {
  const headers = securityHeaders(production, previewOrigin);
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}

type Handler = (...args: unknown[]) => unknown;

/** An app-level wrap (like `transport`) that adds the headers to every response. */
export function securityHeadersWrap(production: boolean, previewOrigin?: string) {
  return (fn: Handler, request: Request) =>
    async (...args: unknown[]): Promise<Response> => {
      const response = (await fn(...args)) as Response;
      // Previews carry their own sandbox policy and must be framable (src/features/preview/serve.ts).
      if (new URL(request.url).pathname.startsWith("/preview/")) return response;
      return withSecurityHeaders(response, production, previewOrigin);
    };
}
