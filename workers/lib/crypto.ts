import { fromBase64, fromBase64Url, toBase64, toBase64Url, toHex, utf8 } from "./encoding";

/** Cryptographically random bytes as base64url text. */
export function randomToken(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return toBase64Url(buf);
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text))));
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they differ.
 * Used for every token, hash and signature check.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** HMAC-SHA256 key, imported once per secret (import costs more than signing). */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    hmacKeys.set(secret, key);
  }
  return key;
}

export async function hmacSha256(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), utf8(data)));
}

/** Production Workers cap PBKDF2 at 100,000 iterations; that is also our cost. */
export const PBKDF2_ITERATIONS = 100_000;

/**
 * Hashes a password with PBKDF2-SHA256 over HMAC(pepper, password) and a per-user salt. The
 * pepper lives only in the Worker's secrets, so a stolen database alone cannot be brute-forced.
 */
export async function hashPassword(password: string, pepper: string, iterations = PBKDF2_ITERATIONS) {
  const salt = new Uint8Array(16);
  crypto.getRandomValues(salt);
  const hash = await derive(password, pepper, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, pepper: string, stored: string): Promise<boolean> {
  const [scheme, iterText, saltText, hashText] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterText || !saltText || !hashText) return false;
  const iterations = Number(iterText);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  const hash = await derive(password, pepper, fromBase64(saltText), iterations);
  return timingSafeEqual(toBase64(hash), hashText);
}

async function derive(password: string, pepper: string, salt: Uint8Array, iterations: number) {
  const peppered = await hmacSha256(pepper, password);
  const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/** A stored hash to compare against when the account does not exist, so timing reveals nothing. */
export const DUMMY_PASSWORD_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

const aesKeys = new Map<string, Promise<CryptoKey>>();

function aesKey(keyB64: string): Promise<CryptoKey> {
  let key = aesKeys.get(keyB64);
  if (!key) {
    key = crypto.subtle.importKey("raw", fromBase64(keyB64), "AES-GCM", false, ["encrypt", "decrypt"]);
    aesKeys.set(keyB64, key);
  }
  return key;
}

/** Encrypts a stored credential with AES-256-GCM: `v1.<iv>.<ciphertext>` in base64url. */
export async function encryptSecret(keyB64: string, plaintext: string): Promise<string> {
  const iv = new Uint8Array(12);
  crypto.getRandomValues(iv);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(keyB64), utf8(plaintext));
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

export async function decryptSecret(keyB64: string, sealed: string): Promise<string> {
  const [version, ivText, ctText] = sealed.split(".");
  if (version !== "v1" || !ivText || !ctText) throw new Error("Unrecognised ciphertext format");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64Url(ivText) },
    await aesKey(keyB64),
    fromBase64Url(ctText),
  );
  return new TextDecoder().decode(pt);
}
