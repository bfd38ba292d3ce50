import { hmacSha256, timingSafeEqual } from "./crypto";

/**
 * Per-send Return-Path addresses: `bounces+<send id base 36>-<mac>@<bounce host>`. Bounces come
 * back to this address, and the token tells which send bounced without trusting the bounce's
 * content. Lower-case base 32 for the MAC, because some MTAs fold the local part's case; 80 bits
 * of HMAC-SHA256 keep the local part under RFC 5321's 64 octets. Only the send id is signed: the
 * address says nothing about the subscriber.
 */

const PREFIX = "bounces+";
const MAC_CHARS = 16; // 16 base-32 characters = 80 bits
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Uint8Array, chars: number): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

async function macOf(secret: string, id: string): Promise<string> {
  return base32(await hmacSha256(secret, `edgepost-bounce:v1\n${id}`), MAC_CHARS);
}

/** The token of one send's Return-Path: `bounces+<token>@host` (see compose.ts). */
export async function bounceToken(secret: string, sendId: number): Promise<string> {
  const id = sendId.toString(36);
  return `${id}-${await macOf(secret, id)}`;
}

/** The send id a bounce address stands for, or null when it is not one of ours or was altered. */
export async function readBounceAddress(secret: string, address: string): Promise<number | null> {
  const at = address.lastIndexOf("@");
  const local = (at < 0 ? address : address.slice(0, at)).trim().toLowerCase().replace(/^<|>$/g, "");
  if (!local.startsWith(PREFIX) || local.length > 64) return null;
  const [id, mac, ...rest] = local.slice(PREFIX.length).split("-");
  if (!id || !mac || rest.length > 0 || !/^[0-9a-z]{1,11}$/.test(id) || mac.length !== MAC_CHARS) return null;
  if (!timingSafeEqual(mac, await macOf(secret, id))) return null;
  const n = Number.parseInt(id, 36);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
