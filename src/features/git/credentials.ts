import * as queries from "../../db/queries/git.ts";
import type { Ports } from "../../ports.ts";

type CredentialDeps = Pick<Ports, "db"> & { config: Pick<Ports["config"], "jwtSecret"> };

const keys = new Map<string, Promise<CryptoKey>>();

/** The AES-GCM key for git tokens, derived (HKDF-SHA-256) from the app's secret: one secret, one purpose per key. */
function tokenKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          {
            name: "HKDF",
            hash: "SHA-256",
            salt: new TextEncoder().encode("aura-git-credentials"),
            info: new TextEncoder().encode("git token encryption v1"),
          },
          base,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

/** The user id is the additional data, so a sealed token copied to another user's row does not open. */
async function seal(secret: string, userId: string, plaintext: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(userId) },
    await tokenKey(secret),
    new TextEncoder().encode(plaintext),
  );
  return { iv, ciphertext: new Uint8Array(ciphertext) };
}

/**
 * Store (or replace) the user's personal access token, encrypted; it is never shown again. It is
 * bound to `host` (a URL's host, or a host name for any port) and offered only to remotes there:
 * a remote chosen by someone else (the owner of a project you edit) does not get it by asking.
 */
export async function saveGitToken(
  deps: CredentialDeps,
  userId: string,
  token: string,
  host: string,
): Promise<void> {
  const saved = JSON.stringify({ token, host: host.toLowerCase() });
  await queries.putGitCredential(
    await deps.db.get(),
    userId,
    await seal(deps.config.jwtSecret, userId, saved),
  );
}

/** The host name GitHub sign-in is configured for, where a token GitHub grants is good (github.com unless moved). */
export function githubHost(github: { endpoints?: { authorize?: string } | undefined }): string {
  return new URL(github.endpoints?.authorize ?? "https://github.com").hostname;
}

/** Forget the user's token; false when there was none. */
export async function deleteGitToken(deps: CredentialDeps, userId: string): Promise<boolean> {
  return queries.deleteGitCredential(await deps.db.get(), userId);
}

/** Whether the user has a token stored (the token itself never leaves the server). */
export async function hasGitToken(deps: CredentialDeps, userId: string): Promise<boolean> {
  return Boolean(await queries.getGitCredential(await deps.db.get(), userId));
}

/** A sealed token as saved, `{token, host}`; undefined for anything else (never offered). */
function parseSaved(text: string): { token: string; host: string } | undefined {
  try {
    const saved = JSON.parse(text) as { token?: unknown; host?: unknown };
    if (typeof saved.token === "string" && typeof saved.host === "string")
      return { token: saved.token, host: saved.host };
  } catch {
    // Not a saved token of this shape.
  }
  return undefined;
}

/**
 * The saved token in clear with its host; undefined when none is stored or it no longer opens
 * (the app's secret changed).
 */
async function openSaved(
  deps: CredentialDeps,
  userId: string,
  row: { iv: Uint8Array; ciphertext: Uint8Array },
) {
  let clear: ArrayBuffer;
  try {
    clear = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: new Uint8Array(row.iv), additionalData: new TextEncoder().encode(userId) },
      await tokenKey(deps.config.jwtSecret),
      new Uint8Array(row.ciphertext),
    );
  } catch {
    // A token sealed under another secret cannot be opened; it is as if none were stored.
    return undefined;
  }
  return parseSaved(new TextDecoder().decode(clear));
}

/**
 * The user's token in clear, for a push or pull to `remote`; undefined when none is stored, it
 * no longer opens (the app's secret changed), or it was saved for another host: then the remote
 * is tried without one.
 */
export async function openGitToken(
  deps: CredentialDeps,
  userId: string,
  remote: string,
): Promise<string | undefined> {
  const row = await queries.getGitCredential(await deps.db.get(), userId);
  const saved = row && (await openSaved(deps, userId, row));
  const url = new URL(remote);
  return saved && (saved.host === url.host || saved.host === url.hostname) ? saved.token : undefined;
}

/**
 * What the account's export says of the saved token: the host it is for and when it was saved,
 * never the token. `host` is null for a token that no longer opens (sealed under an earlier
 * secret, so offered nowhere). Empty when none is saved.
 */
export async function savedGitTokens(
  deps: CredentialDeps,
  userId: string,
): Promise<{ host: string | null; savedAt: Date }[]> {
  const row = await queries.getGitCredential(await deps.db.get(), userId);
  if (!row) return [];
  const saved = await openSaved(deps, userId, row);
  return [{ host: saved?.host ?? null, savedAt: row.createdAt }];
}
