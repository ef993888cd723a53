import type { OAuthProviderName } from "./providers.ts";

const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

// Like X-Forwarded-For: the value appended by the outermost trusted proxy is the Nth from the right.
function forwarded(request: Request, header: string, hops: number): string | undefined {
  const values = (request.headers.get(header) ?? "").split(",").map((part) => part.trim());
  return values[values.length - hops] || undefined;
}

/**
 * The origin the browser used for this request. X-Forwarded-Proto/Host are honoured only
 * behind trusted proxies (TRUST_PROXY > 0); otherwise a client could pick our redirect URI.
 */
export function requestOrigin(request: Request, trustProxyHops: number): string {
  const url = new URL(request.url);
  if (trustProxyHops > 0) {
    const proto = forwarded(request, "x-forwarded-proto", trustProxyHops);
    const host = forwarded(request, "x-forwarded-host", trustProxyHops);
    const scheme = proto === "http" || proto === "https" ? proto : url.protocol.slice(0, -1);
    return `${scheme}://${host && HOST.test(host) ? host : url.host}`;
  }
  return url.origin;
}

/** The callback URL registered with the provider: `<origin>/auth/oauth/<provider>/callback`. */
export function callbackUrl(request: Request, provider: OAuthProviderName, trustProxyHops: number): string {
  return `${requestOrigin(request, trustProxyHops)}/auth/oauth/${provider}/callback`;
}
