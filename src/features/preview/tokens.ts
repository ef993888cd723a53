import { errors, jwtVerify, SignJWT } from "jose";
import { UnauthorizedError } from "../../errors.ts";

/** How long a preview link works; the editor is sent a fresh token well before it runs out. */
export const PREVIEW_TTL_SECONDS = 15 * 60;

const ISSUER = "aura";
const AUDIENCE = "aura-preview";

/** Whom a preview token was issued to, for which project. */
export interface PreviewClaims {
  userId: string;
  projectId: string;
}

/**
 * Sign and verify preview tokens: HS256 under a key derived from the app's secret for this use
 * alone, so an access token never passes as a preview token nor the other way round, and a
 * preview token (which sits in URLs) can never call the API.
 */
export function createPreviewTokens(secret: string) {
  const key = new Bun.CryptoHasher("sha256", secret).update("aura preview tokens").digest();
  return {
    sign({ userId, projectId }: PreviewClaims, ttlSeconds = PREVIEW_TTL_SECONDS): Promise<string> {
      return new SignJWT({ typ: "preview", pid: projectId })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(key);
    },
    /** Throws UnauthorizedError for anything but a valid, unexpired preview token. */
    async verify(token: string): Promise<PreviewClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ["HS256"],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["sub", "exp", "iat"],
        });
        if (payload.typ !== "preview" || typeof payload.pid !== "string" || !payload.sub)
          throw new UnauthorizedError("Not a preview token");
        return { userId: payload.sub, projectId: payload.pid };
      } catch (error) {
        if (error instanceof UnauthorizedError) throw error;
        if (error instanceof errors.JWTExpired) throw new UnauthorizedError("Preview link expired");
        throw new UnauthorizedError("Invalid preview token");
      }
    },
  };
}

export type PreviewTokens = ReturnType<typeof createPreviewTokens>;
