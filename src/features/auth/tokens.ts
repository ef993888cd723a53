import { errors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { UnauthorizedError } from "../../errors.ts";

/** Access tokens live 15 minutes; refresh tokens (sessions) 30 days. */
export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 30 * 24 * 60 * 60;

const ISSUER = "aura";
const AUDIENCE = "aura";

/** Who an access token speaks for: the user and the session (refresh-token family) it belongs to. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** Sign and verify access tokens: HS256 only, typed `access`, so no other JWT passes as one. */
export function createAccessTokens(secret: string) {
  const key = new TextEncoder().encode(secret);
  // Tokens this process has verified, until they expire: checking an HMAC costs more than the
  // rest of a cached page. Keyed by the whole token, so only the exact signed string hits.
  const verified = new LRUCache<string, AccessClaims & { expiresAt: number }>({ max: 10_000 });
  return {
    sign({ userId, sessionId }: AccessClaims, ttlSeconds = ACCESS_TTL_SECONDS): Promise<string> {
      return new SignJWT({ typ: "access", sid: sessionId })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(key);
    },
    /** Throws UnauthorizedError for anything but a valid, unexpired access token. */
    async verify(token: string): Promise<AccessClaims> {
      const known = verified.get(token);
      if (known) {
        if (Date.now() < known.expiresAt) return { userId: known.userId, sessionId: known.sessionId };
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ["HS256"],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["sub", "exp", "iat"],
        });
        if (payload.typ !== "access" || typeof payload.sid !== "string" || !payload.sub) {
          throw new UnauthorizedError("Not an access token");
        }
        const claims = { userId: payload.sub, sessionId: payload.sid };
        verified.set(token, { ...claims, expiresAt: (payload.exp ?? 0) * 1000 });
        return claims;
      } catch (error) {
        if (error instanceof UnauthorizedError) throw error;
        if (error instanceof errors.JWTExpired) throw new UnauthorizedError("Access token expired");
        throw new UnauthorizedError("Invalid access token");
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** A new opaque refresh token and the hash that is all the database ever stores. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("hex");
}
