import { utf8 } from "./encoding";
import {
  decodeBase64Url,
  encodeBase64Url,
  readVarint,
  uuidText,
  varintLength,
  writeUuid,
  writeVarint,
} from "./token-bytes";

/**
 * Signed tokens for the open pixel (`/o/<token>`) and tracked links (`/c/<token>`).
 *
 * A token is one base64url string: `payload || mac`. The payload is binary: a header byte (format
 * version in the high nibble, which optional ids follow in the low bits), the send id as a varint,
 * the campaign, subscriber and variant ids as 16 raw bytes each when present, and for clicks the
 * link index (varint) and the destination URL as UTF-8 up to the end. The click redirects without
 * any database read, so the URL has to travel in the token, signed.
 *
 * The MAC is HMAC-SHA256 over a tag naming the format version and the kind, then the payload,
 * truncated to 16 bytes (128 bits: forging one is a 2^-128 guess per request). Its key is derived
 * from TRACKING_SECRET for this purpose only (HMAC(secret, "edgepost-tracking-v1")), so these
 * tokens and the other signed tokens (`lib/signed-token.ts`) can never stand in for each other, and
 * the kind in the tag means an open token never verifies as a click token or back. The MAC is
 * checked in constant time before a single payload byte is interpreted. Tokens are signed, not
 * encrypted: they carry only ids and the public link.
 */

export type TrackingKind = "open" | "click";

/** What an open token carries. */
export interface OpenFields {
  /** `sends.id`: a positive integer below 2^53. */
  sendId: number;
  /** Null or absent for transactional and workflow sends. */
  campaignId?: string | null;
  subscriberId?: string | null;
  variantId?: string | null;
}

/** What a click token carries: the open fields plus the link and its destination. */
export interface ClickFields extends OpenFields {
  /** Position of the link in the message, from 0. */
  linkIndex: number;
  /** The destination: an absolute http or https URL. */
  url: string;
}

/** Fields decoded from a verified token; absent ids are null. */
export interface VerifiedOpen {
  sendId: number;
  campaignId: string | null;
  subscriberId: string | null;
  variantId: string | null;
}

export interface VerifiedClick extends VerifiedOpen {
  linkIndex: number;
  url: string;
}

const VERSION = 1;
const KEY_LABEL = "edgepost-tracking-v1";
const MAC_BYTES = 16;
/** A destination longer than this is refused when signing (browsers and mail clients choke first). */
export const MAX_URL_BYTES = 4096;
/** Longer input is refused before any work, so junk in a URL costs nothing. */
export const MAX_TOKEN_LENGTH = 6000;
/** Header (1) + shortest send id (1). */
const MIN_PAYLOAD_BYTES = 2;

const HAS_CAMPAIGN = 1;
const HAS_SUBSCRIBER = 2;
const HAS_VARIANT = 4;
const FLAG_MASK = HAS_CAMPAIGN | HAS_SUBSCRIBER | HAS_VARIANT;

/** MAC input prefix per kind: binds the format version and the purpose into every MAC. */
const TAGS: Record<TrackingKind, Uint8Array> = {
  open: utf8(`${KEY_LABEL}:open\n`),
  click: utf8(`${KEY_LABEL}:click\n`),
};

// ---------------------------------------------------------------------------------------------
// Keys

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The purpose-bound HMAC key for `secret`: HMAC(secret, "edgepost-tracking-v1") imported as a
 * key, once per secret per isolate (importing costs more than signing).
 */
function trackingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const root = await crypto.subtle.importKey(
        "raw",
        utf8(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const derived = await crypto.subtle.sign("HMAC", root, utf8(KEY_LABEL));
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    })();
    // A failed import must not poison the cache for the life of the isolate.
    key.catch(() => keys.delete(secret));
    keys.set(secret, key);
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Signing

/** Signs an open-pixel token. Throws on an invalid send id or a malformed uuid (a caller bug). */
export async function signOpen(secret: string, fields: OpenFields): Promise<string> {
  return seal(await trackingKey(secret), "open", idsPrefix(fields), null);
}

/** Signs a tracked-link token. Throws when the URL is not absolute http(s) or is too long. */
export async function signClick(secret: string, fields: ClickFields): Promise<string> {
  return seal(await trackingKey(secret), "click", idsPrefix(fields), linkBytes(fields.linkIndex, fields.url));
}

/** The ids shared by every token of one message. */
export type MessageIds = OpenFields;

/**
 * All tracking tokens of one message in one call: the pixel and one click token per link, where
 * link `i` of `urls` gets link index `i`. The key is looked up and the ids encoded once, and the
 * MACs are computed together, so the sender awaits once per message rather than once per link.
 */
export async function signMessageTokens(
  secret: string,
  ids: MessageIds,
  urls: readonly string[],
): Promise<{ open: string; clicks: string[] }> {
  const key = await trackingKey(secret);
  const prefix = idsPrefix(ids);
  const links = urls.map((url, index) => linkBytes(index, url));
  const [open, ...clicks] = await Promise.all([
    seal(key, "open", prefix, null),
    ...links.map((link) => seal(key, "click", prefix, link)),
  ]);
  return { open: open as string, clicks };
}

/** True for an absolute http: or https: URL that the URL parser accepts. */
export function isHttpUrl(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** The payload's start, shared by all tokens of a message: header, send id, the ids present. */
function idsPrefix(fields: OpenFields): Uint8Array {
  checkInteger("sendId", fields.sendId, 1, Number.MAX_SAFE_INTEGER);
  const ids = [fields.campaignId, fields.subscriberId, fields.variantId];
  const present = ids.filter((id): id is string => !!id);
  const out = new Uint8Array(1 + varintLength(fields.sendId) + 16 * present.length);
  out[0] =
    (VERSION << 4) |
    (fields.campaignId ? HAS_CAMPAIGN : 0) |
    (fields.subscriberId ? HAS_SUBSCRIBER : 0) |
    (fields.variantId ? HAS_VARIANT : 0);
  let at = writeVarint(out, 1, fields.sendId);
  for (const id of present) at = writeUuid(out, at, id);
  return out;
}

/** The payload's end for a click: the link index and the checked URL as UTF-8. */
function linkBytes(index: number, url: string): Uint8Array {
  checkInteger("linkIndex", index, 0, 0x7fffffff);
  if (!isHttpUrl(url)) throw new Error("tracked links must be absolute http or https URLs");
  const text = utf8(url);
  if (text.length > MAX_URL_BYTES) throw new Error(`tracked link longer than ${MAX_URL_BYTES} bytes`);
  const out = new Uint8Array(varintLength(index) + text.length);
  out.set(text, writeVarint(out, 0, index));
  return out;
}

async function seal(key: CryptoKey, kind: TrackingKind, prefix: Uint8Array, link: Uint8Array | null) {
  const tag = TAGS[kind];
  const payloadLength = prefix.length + (link?.length ?? 0);
  // Exactly tag + payload: WebCrypto is measurably slower on views into larger buffers.
  const input = new Uint8Array(tag.length + payloadLength);
  input.set(tag, 0);
  input.set(prefix, tag.length);
  if (link) input.set(link, tag.length + prefix.length);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, input));
  const token = new Uint8Array(payloadLength + MAC_BYTES);
  token.set(input.subarray(tag.length), 0);
  token.set(mac.subarray(0, MAC_BYTES), payloadLength);
  return encodeBase64Url(token);
}

function checkInteger(name: string, n: number, min: number, max: number): void {
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`tracking token: invalid ${name}`);
}

// ---------------------------------------------------------------------------------------------
// Verifying

/**
 * The fields of a token of `kind` signed with `secret`, or null for anything else: junk, a token
 * altered or truncated anywhere, one signed with another key, or one of the other kind.
 */
export async function verifyTracking(
  secret: string,
  kind: "open",
  token: string,
): Promise<VerifiedOpen | null>;
export async function verifyTracking(
  secret: string,
  kind: "click",
  token: string,
): Promise<VerifiedClick | null>;
export async function verifyTracking(
  secret: string,
  kind: TrackingKind,
  token: string,
): Promise<VerifiedOpen | VerifiedClick | null>;
export async function verifyTracking(
  secret: string,
  kind: TrackingKind,
  token: string,
): Promise<VerifiedOpen | VerifiedClick | null> {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return null;
  const tag = TAGS[kind];
  if (!tag) return null;
  // Decoded straight behind the tag, so the MAC input (tag + payload) needs no second buffer.
  const input = decodeBase64Url(token, tag.length, MAC_BYTES);
  if (!input || input.bytes.length - tag.length < MIN_PAYLOAD_BYTES) return null;
  input.bytes.set(tag, 0);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", await trackingKey(secret), input.bytes));
  if (!timingSafeEqualBytes(input.tail, expected.subarray(0, MAC_BYTES))) return null;
  return decodePayload(input.bytes.subarray(tag.length), kind);
}

/** Compares two byte arrays in time that depends only on their lengths, never on their contents. */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Reusable: a fatal decoder keeps no state between whole-buffer calls. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Reads a payload whose MAC has been verified; still defensive, so a format bug returns null. */
function decodePayload(p: Uint8Array, kind: TrackingKind): VerifiedOpen | VerifiedClick | null {
  const header = p[0] as number;
  if (header >> 4 !== VERSION || (header & ~0xf0 & ~FLAG_MASK) !== 0) return null;
  const send = readVarint(p, 1);
  if (!send || send.value < 1) return null;
  let at = send.next;
  const ids: (string | null)[] = [];
  for (const flag of [HAS_CAMPAIGN, HAS_SUBSCRIBER, HAS_VARIANT]) {
    if (header & flag) {
      if (at + 16 > p.length) return null;
      ids.push(uuidText(p, at));
      at += 16;
    } else {
      ids.push(null);
    }
  }
  const base: VerifiedOpen = {
    sendId: send.value,
    campaignId: ids[0] ?? null,
    subscriberId: ids[1] ?? null,
    variantId: ids[2] ?? null,
  };
  if (kind === "open") return at === p.length ? base : null;
  const link = readVarint(p, at);
  if (!link || link.value > 0x7fffffff) return null;
  let url: string;
  try {
    url = UTF8.decode(p.subarray(link.next));
  } catch {
    return null;
  }
  if (!isHttpUrl(url)) return null;
  return { ...base, linkIndex: link.value, url };
}
