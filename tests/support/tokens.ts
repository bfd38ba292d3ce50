import { SignJWT } from "jose";

const enc = (s: string) => new TextEncoder().encode(s);
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** Tokens that must all be refused: forged, expired, wrong algorithm. */
export async function hostileTokens(realSecret: string, userId: string) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sid: crypto.randomUUID() };
  const base = () => new SignJWT(claims).setSubject(userId).setIssuer("edgepost").setAudience("edgepost-api");
  return {
    "bad token": "not-a-token",
    "expired token": await base()
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 1800)
      .sign(enc(realSecret)),
    "token signed with another key": await base()
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(enc("an entirely different secret key of enough length")),
    "alg none": `${b64url({ alg: "none", typ: "JWT" })}.${b64url({
      ...claims,
      sub: userId,
      iss: "edgepost",
      aud: "edgepost-api",
      iat: now,
      exp: now + 600,
    })}.`,
    "HS512 with the real key": await base()
      .setProtectedHeader({ alg: "HS512" })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(enc(realSecret)),
    "bad API key": `ep_${"0".repeat(32)}_${"A".repeat(43)}`,
  } as Record<string, string>;
}
