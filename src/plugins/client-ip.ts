/**
 * The client's address. The bootstrap records the TCP peer of each request (Bun.serve knows
 * it; Elysia's app.handle does not); behind N trusted proxies the Nth address from the right
 * of X-Forwarded-For is the client, anything further left is whatever the client claimed.
 */
const peers = new WeakMap<Request, string>();

export function rememberPeer(request: Request, address: string | undefined): void {
  if (address) peers.set(request, address);
}

export function clientIp(request: Request, trustProxyHops: number): string {
  if (trustProxyHops > 0) {
    const forwarded = (request.headers.get("x-forwarded-for") ?? "").split(",").map((part) => part.trim());
    const candidate = forwarded[forwarded.length - trustProxyHops];
    if (candidate) return candidate;
  }
  return peers.get(request) ?? "unknown";
}
