import { errors, jwtVerify, SignJWT } from "jose";
import { utf8 } from "./encoding";

/** Access tokens live 15 minutes; refresh tokens renew them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALG = "HS256";
const ISSUER = "edgepost";
const AUDIENCE = "edgepost-api";

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session (refresh-token family) id, so logout can be traced to the session. */
  sid: string;
}

export async function signAccessToken(
  claims: AccessClaims,
  secret: string,
  now = Date.now(),
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: ALG, typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(utf8(secret));
}

/**
 * Verifies signature, algorithm (pinned: `alg: none` and every other algorithm are refused),
 * issuer, audience and expiry. Returns null for any invalid token.
 */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, utf8(secret), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { sub: payload.sub, sid: payload.sid };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
