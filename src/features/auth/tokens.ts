import { errors, jwtVerify, SignJWT } from "jose";
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
        return { userId: payload.sub, sessionId: payload.sid };
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
