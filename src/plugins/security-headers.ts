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
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
};

const HSTS = "max-age=31536000; includeSubDomains";

/** Headers for one response; HSTS only in production, where Aura is served over HTTPS. */
function securityHeaders(production: boolean): Record<string, string> {
  return production ? { ...ALWAYS, "strict-transport-security": HSTS } : ALWAYS;
}

/** Set the security headers on a finished response, copying it when its headers are immutable. */
function withSecurityHeaders(response: Response, production: boolean): Response {
  const headers = securityHeaders(production);
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
export function securityHeadersWrap(production: boolean) {
  return (fn: Handler) =>
    async (...args: unknown[]): Promise<Response> =>
      withSecurityHeaders((await fn(...args)) as Response, production);
}
