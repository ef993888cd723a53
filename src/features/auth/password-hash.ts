/**
 * Argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane) rather than Bun's default
 * 64 MiB: each login or registration holds this much memory while it hashes, so on a small
 * host a burst of logins costs a third of the memory and time. The parameters are stored in
 * each hash, so hashes made with other parameters still verify.
 */
const ARGON2 = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, ARGON2);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return Bun.password.verify(password, hash);
}
