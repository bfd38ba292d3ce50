/**
 * The byte-level pieces of the tracking tokens (`tracking-token.ts`): unsigned varints, uuids as
 * 16 raw bytes, and a strict base64url. Kept apart so the token module reads as the format and
 * its checks; nothing here knows about keys or MACs.
 */

// ---------------------------------------------------------------------------------------------
// Varints (unsigned LEB128). Arithmetic rather than bit operators: send ids go past 2^32.

/** Bytes the varint of `n` takes. */
export function varintLength(n: number): number {
  let len = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) len++;
  return len;
}

/** Writes `n` as a varint at `at`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, at: number, n: number): number {
  let v = n;
  while (v >= 0x80) {
    buf[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[at++] = v;
  return at;
}

/** The varint at `start` and the offset after it, or null when malformed or unsafe. */
export function readVarint(buf: Uint8Array, start: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  // 8 bytes hold 56 bits, enough for any safe integer.
  for (let i = start; i < buf.length && i < start + 8; i++) {
    const b = buf[i] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return Number.isSafeInteger(value) ? { value, next: i + 1 } : null;
    scale *= 0x80;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// UUIDs as 16 bytes

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/** Writes a uuid's 16 bytes at `at`; returns the offset after them. Throws on anything else. */
export function writeUuid(out: Uint8Array, at: number, id: string): number {
  if (!UUID.test(id)) throw new Error("tracking token: ids must be uuids");
  let o = at;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i++;
    out[o++] = ((HEX_VALUE[id.charCodeAt(i)] as number) << 4) | (HEX_VALUE[id.charCodeAt(i + 1)] as number);
  }
  return o;
}

/** The 16 bytes at `at` as a lower-case uuid string. */
export function uuidText(b: Uint8Array, at: number): string {
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
    s += HEX[b[at + i] as number];
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Base64url without padding, strict: only the 64 characters, and unused trailing bits must be
// zero, so every token has exactly one spelling (changing any character changes the bytes).

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Base64url without padding. */
export function encodeBase64Url(b: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
    out +=
      ALPHABET.charAt(n >> 18) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = b.length - i;
  if (rest === 1) {
    const n = (b[i] as number) << 16;
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8);
    out += ALPHABET.charAt(n >> 18) + ALPHABET.charAt((n >> 12) & 63) + ALPHABET.charAt((n >> 6) & 63);
  }
  return out;
}

/**
 * Decodes `s` into `bytes`, after `offset` free leading bytes, less its last `tailLength` bytes,
 * which come back apart as `tail`; null for anything not canonical or shorter than the tail.
 */
export function decodeBase64Url(
  s: string,
  offset: number,
  tailLength: number,
): { bytes: Uint8Array; tail: Uint8Array } | null {
  const len = s.length;
  const rest = len % 4;
  if (rest === 1) return null;
  const all = new Uint8Array(offset + Math.floor(len / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  if (all.length - offset < tailLength) return null;
  let o = offset;
  let i = 0;
  const sextet = (k: number): number => {
    const c = s.charCodeAt(k);
    return c < 128 ? (DECODE[c] as number) : -1;
  };
  for (; i + 3 < len; i += 4) {
    const a = sextet(i);
    const b = sextet(i + 1);
    const c = sextet(i + 2);
    const d = sextet(i + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    all[o++] = n >> 16;
    all[o++] = (n >> 8) & 255;
    all[o++] = n & 255;
  }
  if (rest === 2) {
    const a = sextet(i);
    const b = sextet(i + 1);
    if ((a | b) < 0 || (b & 15) !== 0) return null;
    all[o++] = (a << 2) | (b >> 4);
  } else if (rest === 3) {
    const a = sextet(i);
    const b = sextet(i + 1);
    const c = sextet(i + 2);
    if ((a | b | c) < 0 || (c & 3) !== 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6);
    all[o++] = n >> 16;
    all[o++] = (n >> 8) & 255;
  }
  // Copies rather than views: WebCrypto is measurably slower on views into larger buffers.
  return { bytes: all.slice(0, all.length - tailLength), tail: all.slice(all.length - tailLength) };
}
