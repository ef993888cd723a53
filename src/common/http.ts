import { clientIp } from "../plugins/client-ip.ts";

/** Where a request came from, as the auth service records it with a sign-in or a run. */
export interface RequestContext {
  ip: string;
  userAgent: string | undefined;
}

/** The client's address (behind `trustProxyHops` trusted proxies) and user agent of a request. */
export function requestContext(request: Request, trustProxyHops: number): RequestContext {
  return { ip: clientIp(request, trustProxyHops), userAgent: request.headers.get("user-agent") ?? undefined };
}
