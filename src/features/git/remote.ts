import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { PayloadTooLargeError, ValidationError } from "../../errors.ts";
import { formatBytes } from "../files/format.ts";

/** How a remote may be reached: private addresses or not, and how many bytes one operation may download. */
export interface RemotePolicy {
  allowPrivate: boolean;
  maxBytes: number;
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

/** Whether an IP address is loopback, private, link-local, unspecified, multicast or otherwise not public. */
function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) return v4Private(address);
  const lower = address.toLowerCase().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) return v4Private(mapped[1]);
  if (lower === "::" || lower === "::1") return true;
  const first = Number.parseInt(lower.split(":")[0] || "0", 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

/** Refuse a URL whose host is, or resolves to, a private address (unless the policy allows them). */
export async function assertPublicHost(url: URL, policy: RemotePolicy, field = "url"): Promise<void> {
  if (policy.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new ValidationError(`${field}: the host ${host} could not be resolved`, field);
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress))
    throw new ValidationError(
      `${field}: remotes on loopback or private addresses are not allowed (GIT_ALLOW_PRIVATE_REMOTES)`,
      field,
    );
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

/**
 * The HTTP client isomorphic-git calls: fetch, with every URL (redirects too) checked against
 * the policy and the bytes downloaded counted across the operation, so a huge repository
 * stops with a clear 413 instead of filling memory.
 */
export function guardedHttp(policy: RemotePolicy) {
  let downloaded = 0;
  return {
    async request(request: GitRequest) {
      const payload = await collect(request.body);
      let url = new URL(request.url);
      for (let hop = 0; ; hop++) {
        await assertPublicHost(url, policy);
        const response = await fetch(url, {
          method: request.method ?? "GET",
          headers: request.headers ?? {},
          ...(payload ? { body: payload } : {}),
          redirect: "manual",
        });
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location && hop < MAX_REDIRECTS) {
          await response.body?.cancel();
          url = parseRemoteUrl(new URL(location, url).href);
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
