import { hmacSha256, timingSafeEqual } from "./crypto";
import { fromBase64Url, toBase64Url, utf8 } from "./encoding";

/**
 * Compact signed tokens for links in mail (`/confirm/:token`, `/u/:token`, `/preferences/:token`):
 * `<payload>.<mac>`, both base64url. The payload is the expiry (unix seconds in base 36, or empty)
 * and the fields, joined by newlines. The MAC is HMAC-SHA256 over a version tag, the purpose and
 * the payload, so a token made for one purpose never verifies for another, and any change to
 * either part is refused. Tokens are signed, not encrypted: put only ids in them.
 */

/** Longer input is refused before any work, so junk in a URL costs nothing. */
const MAX_TOKEN_LENGTH = 2048;
const MAC_LENGTH = 43; // 32 bytes in unpadded base64url
const B64URL = /^[A-Za-z0-9_-]+$/;

export interface SignOptions {
  /** Seconds from now until the token stops verifying; omit for a token that never expires. */
  ttlSeconds?: number;
  /** Clock override for tests. */
  now?: Date;
}

const signedData = (purpose: string, payload: string) => `edgepost-token:v1\n${purpose}\n${payload}`;

/** Signs `fields` for `purpose` with `secret` (the TRACKING_SECRET). Fields may not contain newlines. */
export async function signToken(
  secret: string,
  purpose: string,
  fields: string[],
  opts: SignOptions = {},
): Promise<string> {
  if (purpose === "" || purpose.includes("\n")) throw new Error("token purpose must be a non-empty line");
  if (fields.some((f) => f.includes("\n"))) throw new Error("token fields may not contain newlines");
  const nowSec = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const exp = opts.ttlSeconds === undefined ? "" : (nowSec + Math.ceil(opts.ttlSeconds)).toString(36);
  const payload = toBase64Url(utf8([exp, ...fields].join("\n")));
  const mac = toBase64Url(await hmacSha256(secret, signedData(purpose, payload)));
  return `${payload}.${mac}`;
}

/**
 * The fields of a token made for `purpose` with `secret`, or null when it is malformed, altered,
 * made for another purpose or with another key, or expired. The MAC is compared in constant time
 * before the payload is decoded.
 */
export async function verifyToken(
  secret: string,
  purpose: string,
  token: string,
  now: Date = new Date(),
): Promise<string[] | null> {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const payload = token.slice(0, dot);
  const mac = token.slice(dot + 1);
  if (mac.length !== MAC_LENGTH || !B64URL.test(payload) || !B64URL.test(mac)) return null;
  const expected = toBase64Url(await hmacSha256(secret, signedData(purpose, payload)));
  if (!timingSafeEqual(mac, expected)) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(fromBase64Url(payload));
  } catch {
    return null;
  }
  const [exp = "", ...fields] = text.split("\n");
  if (exp !== "") {
    const expSec = Number.parseInt(exp, 36);
    if (!Number.isFinite(expSec) || expSec * 1000 <= now.getTime()) return null;
  }
  return fields;
}
