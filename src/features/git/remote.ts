import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { PayloadTooLargeError, ValidationError } from "../../errors.ts";
import { formatBytes } from "../files/format.ts";

/** A host name's addresses, as the system resolver answers. */
type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** How a remote may be reached: private addresses or not, and how many bytes one operation may download. */
export interface RemotePolicy {
  allowPrivate: boolean;
  maxBytes: number;
  /** How host names are resolved (the system resolver unless given). */
  lookup?: Lookup;
}

/**
 * A remote URL as given, checked for its shape: `http:` or `https:`, a host, no credentials in
 * it (a token goes in its own field, so it is never stored or shown with the URL). A 400 names
 * `field` otherwise.
 */
export function parseRemoteUrl(value: string, field = "url"): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ValidationError(`${field}: is not a URL`, field);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ValidationError(`${field}: only http: and https: remotes are supported`, field);
  if (!url.hostname) throw new ValidationError(`${field}: has no host`, field);
  if (url.username || url.password)
    throw new ValidationError(`${field}: must not hold credentials; give a token instead`, field);
  url.hash = "";
  return url;
}

function v4Private(address: string): boolean {
  const [a = 0, b = 0, c = 0] = address.split(".").map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** An IPv6 address as its eight 16-bit groups (a trailing dotted IPv4 taking two); undefined if malformed. */
function v6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] && dotted[2]) {
    if (isIP(dotted[2]) !== 4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = dotted[2].split(".").map(Number);
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const part = (half: string | undefined) => (half ? half.split(":") : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/** The IPv4 address held in two 16-bit groups, dotted. */
const v4Of = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");

/**
 * Whether an IP address is loopback, private, link-local, unspecified, multicast or otherwise not
 * public. An IPv6 address that carries an IPv4 one (mapped `::ffff:a.b.c.d`, which URLs write as
 * `::ffff:7f00:1`; the old compatible `::a.b.c.d`; NAT64 `64:ff9b::/96`; 6to4 `2002::/16`) is
 * judged by that IPv4 address. Anything that does not parse is refused.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 4) return v4Private(bare);
  if (isIP(bare) !== 6) return true;
  const g = v6Groups(bare.replace(/%.*$/, ""));
  if (!g) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::, ::1, and IPv4-compatible ::a.b.c.d (0:0:0:0:0:0/96).
  if (upperZero && g5 === 0) return g6 === 0 || v4Private(v4Of(g6, g7));
  // IPv4-mapped ::ffff:a.b.c.d, and IPv4-translated ::ffff:0:a.b.c.d.
  if (upperZero && g5 === 0xffff) return v4Private(v4Of(g6, g7));
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0)
    return v4Private(v4Of(g6, g7));
  // NAT64 64:ff9b::/96 (and the local-use 64:ff9b:1::/48, refused whole).
  if (g0 === 0x64 && g1 === 0xff9b) return g2 !== 0 || v4Private(v4Of(g6, g7));
  // 6to4 2002::/16 carries the IPv4 address in its next 32 bits.
  if (g0 === 0x2002) return v4Private(v4Of(g1, g2));
  // Teredo 2001::/32 tunnels to an address it hides; discard-only 100::/64.
  if ((g0 === 0x2001 && g1 === 0) || (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0)) return true;
  // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast.
  return (
    (g0 & 0xfe00) === 0xfc00 ||
    (g0 & 0xffc0) === 0xfe80 ||
    (g0 & 0xffc0) === 0xfec0 ||
    (g0 & 0xff00) === 0xff00
  );
}

/**
 * The address to connect to for a URL: its host resolved once, every answer checked (a 400
 * naming `field` when one is loopback or private and the policy does not allow them, or when
 * nothing answers). The connection then goes to this address, never to a second resolution, so
 * a name that answers a public address to the check and a private one to the connection (DNS
 * rebinding) reaches only what was checked.
 */
async function resolveRemote(url: URL, policy: RemotePolicy, field = "url"): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (policy.lookup ?? systemLookup)(host);
  } catch {
    addresses = [];
  }
  const [first] = addresses;
  if (!first) throw new ValidationError(`${field}: the host ${host} could not be resolved`, field);
  if (!policy.allowPrivate && addresses.some(isPrivateAddress))
    throw new ValidationError(
      `${field}: remotes on loopback or private addresses are not allowed (GIT_ALLOW_PRIVATE_REMOTES)`,
      field,
    );
  return first;
}

/** Refuse a URL whose host is, or resolves to, a private address (unless the policy allows them). */
export async function assertPublicHost(url: URL, policy: RemotePolicy, field = "url"): Promise<void> {
  await resolveRemote(url, policy, field);
}

/**
 * A request for `url` pinned to `address`: the URL with the address for its host, the original
 * host in `Host`, and for HTTPS the original name for SNI and for checking the certificate.
 */
function pinnedTo(url: URL, address: string, headers: Record<string, string>) {
  const target = new URL(url.href);
  target.hostname = isIP(address) === 6 ? `[${address}]` : address;
  const named = isIP(url.hostname.replace(/^\[|\]$/g, "")) === 0;
  return {
    target,
    headers: { ...headers, host: url.host },
    ...(named && url.protocol === "https:" ? { tls: { serverName: url.hostname } } : {}),
  };
}

/** Raised when an operation would download more than its policy allows. */
class FetchTooLargeError extends PayloadTooLargeError {
  constructor(limit: number) {
    super(`The repository is too large: the download went over the ${formatBytes(limit)} limit`);
  }
}

type GitRequest = {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: AsyncIterable<Uint8Array> | Uint8Array[];
  onProgress?: unknown;
};

async function collect(body: GitRequest["body"]): Promise<Buffer<ArrayBuffer> | undefined> {
  if (!body) return undefined;
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts) as Buffer<ArrayBuffer>;
}

const MAX_REDIRECTS = 5;

/** Request headers without the ones that carry credentials. */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^(authorization|cookie|proxy-authorization)$/i.test(name)),
  );
}

/**
 * The HTTP client isomorphic-git calls: fetch, with every URL (redirects too) resolved once,
 * checked against the policy and connected to at the address checked, and the bytes downloaded
 * counted across the operation, so a huge repository
 * stops with a clear 413 instead of filling memory.
 */
export function guardedHttp(policy: RemotePolicy) {
  let downloaded = 0;
  return {
    async request(request: GitRequest) {
      const payload = await collect(request.body);
      let url = new URL(request.url);
      let headers = request.headers ?? {};
      for (let hop = 0; ; hop++) {
        const pinned = pinnedTo(url, await resolveRemote(url, policy), headers);
        const response = await fetch(pinned.target, {
          method: request.method ?? "GET",
          headers: pinned.headers,
          ...(pinned.tls ? { tls: pinned.tls } : {}),
          ...(payload ? { body: payload } : {}),
          redirect: "manual",
        });
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location && hop < MAX_REDIRECTS) {
          await response.body?.cancel();
          const next = parseRemoteUrl(new URL(location, url).href);
          // The credentials are for the remote asked for: a redirect elsewhere goes without them,
          // as fetch itself does when it follows one.
          if (next.origin !== url.origin) headers = withoutCredentials(headers);
          url = next;
          continue;
        }
        const reader = response.body?.getReader();
        async function* chunks(): AsyncGenerator<Uint8Array> {
          if (!reader) return;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            downloaded += value.byteLength;
            if (downloaded > policy.maxBytes) {
              await reader.cancel();
              throw new FetchTooLargeError(policy.maxBytes);
            }
            yield value;
          }
        }
        return {
          url: url.href,
          method: request.method ?? "GET",
          statusCode: response.status,
          statusMessage: response.statusText,
          headers: Object.fromEntries(response.headers),
          body: chunks(),
        };
      }
    },
  };
}
