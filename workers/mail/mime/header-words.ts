const encoder = new TextEncoder();
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * RFC 2047 header text, the same as `encodeHeaderWords` in encode.ts (printable ASCII as is,
 * else UTF-8 base64 words of at most 75 characters that never split a character, folded onto
 * continuation lines), but encoding the value once instead of once per character: a campaign
 * encodes a personalised subject and display name for every message.
 */
export function encodeWords(value: string): string {
  if (PRINTABLE.test(value) && !value.includes("=?")) return value;
  const bytes = encoder.encode(value);
  const words: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    // 39 bytes -> 52 base64 characters, + 12 for "=?UTF-8?B?" and "?=": 64, within the 75.
    let end = Math.min(start + 39, bytes.length);
    // Back off to a character boundary: UTF-8 continuation bytes are 10xxxxxx.
    while (end < bytes.length && end > start && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    words.push(`=?UTF-8?B?${btoa(String.fromCharCode(...bytes.subarray(start, end)))}?=`);
    start = end;
  }
  return words.join("\r\n ");
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const POOL = 4096;
let pool = new Uint8Array(0);
let used = POOL;

/**
 * `bytes` random bytes as hex, drawn from a pool refilled 4 KB at a time: one getRandomValues
 * call costs as much as composing the headers of a message, and a message needs four ids.
 */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(Math.max(POOL, bytes)));
    used = 0;
  }
  let out = "";
  for (let i = used; i < used + bytes; i++) out += HEX[pool[i] ?? 0];
  used += bytes;
  return out;
}
