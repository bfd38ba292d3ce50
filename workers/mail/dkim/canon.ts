/** DKIM "relaxed" canonicalisation (RFC 6376 3.4.2 and 3.4.4) and the header lookups signing needs. */

/** A header field as it appears in the message: name as written, and the whole field unfolded. */
export interface HeaderField {
  /** Lower-case name. */
  key: string;
  /** The field as written, without its final CRLF (folds kept). */
  raw: string;
}

/** Normalises line ends to CRLF (lone CR or LF included); returns the input when already CRLF. */
export function toCrlf(message: string): string {
  return isCrlf(message) ? message : message.replace(/\r\n|\r|\n/g, "\r\n");
}

/** True when every CR is followed by LF and every LF preceded by CR (an indexOf walk: no regex scan). */
function isCrlf(message: string): boolean {
  for (let at = message.indexOf("\n"); at >= 0; at = message.indexOf("\n", at + 1)) {
    if (message.charCodeAt(at - 1) !== 13) return false;
  }
  for (let at = message.indexOf("\r"); at >= 0; at = message.indexOf("\r", at + 1)) {
    if (message.charCodeAt(at + 1) !== 10) return false;
  }
  return true;
}

/** Splits a CRLF message into its header block (with the final CRLF of the last field) and body. */
export function splitMessage(message: string): { header: string; body: string } {
  if (message.startsWith("\r\n")) return { header: "", body: message.slice(2) };
  const at = message.indexOf("\r\n\r\n");
  if (at < 0) return { header: message.endsWith("\r\n") ? message : `${message}\r\n`, body: "" };
  return { header: message.slice(0, at + 2), body: message.slice(at + 4) };
}

/** The header fields of a header block, in order (continuation lines joined to their field). */
export function parseHeaderFields(header: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of header.split("\r\n")) {
    if (!line) continue;
    const c = line.charCodeAt(0);
    const last = fields.at(-1);
    if ((c === 32 || c === 9) && last) {
      last.raw += `\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    fields.push({ key: line.slice(0, colon).trim().toLowerCase(), raw: line });
  }
  return fields;
}

/** A header field in relaxed form: lower-case name, unfolded, whitespace runs as one space, trimmed. */
export function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(":");
  const name = raw
    .slice(0, colon)
    .replace(/[ \t]+$/, "")
    .toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, "")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");
  return `${name}:${value}`;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(64 * 1024);
let words = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Whitespace runs (2+ characters, or a tab) and any whitespace before a line end. Linear: a run
 * that is not at a line end fails the first branch once and is taken whole by the second, so no
 * position inside a run is tried again.
 */
const WHITESPACE = /[ \t]+\r\n|[ \t]{2,}|\t/g;
const collapse = (m: string) => (m.charCodeAt(m.length - 1) === 10 ? "\r\n" : " ");

/** 0x80 in every byte of `x` that is zero, 0 elsewhere (exact: no carries between bytes). */
const zeroBytes = (x: number) => ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);

/**
 * True when the first `n` bytes of the scratch buffer hold a space followed by a space or a CR,
 * four bytes at a time. A string search for "  " stops at every space of the text (about one
 * character in six) and took three times as long. A CR not followed by LF only makes this say
 * yes when it need not, which costs the rewrite, never a wrong hash.
 */
function spaceThenSpaceOrCr(n: number): boolean {
  if (!LITTLE_ENDIAN) {
    const text = new TextDecoder().decode(scratch.subarray(0, n));
    return text.includes("  ") || text.includes(" \r");
  }
  const full = n >>> 2;
  let carry = 0;
  for (let i = 0; i < full; i++) {
    const w = words[i] as number;
    const space = zeroBytes(w ^ 0x20202020);
    if ((space | carry) === 0) continue;
    const next = space | zeroBytes(w ^ 0x0d0d0d0d);
    // The previous word's last byte was a space: this word's first byte follows it.
    if (carry !== 0 && (next & 0x80) !== 0) return true;
    // A space in byte k and a space or CR in byte k + 1 (little-endian: 8 bits up).
    if ((space & (next >>> 8)) !== 0) return true;
    carry = space & 0x80000000;
  }
  for (let i = Math.max(0, full * 4 - 1); i < n - 1; i++) {
    if (scratch[i] === 32 && (scratch[i + 1] === 32 || scratch[i + 1] === 13)) return true;
  }
  return false;
}

/**
 * The body in relaxed form as the UTF-8 bytes that are hashed: whitespace runs as one space,
 * none at line ends, no empty lines at the end, a final CRLF unless the body is empty. The bytes
 * are a view of a buffer that the next call overwrites: hand them straight to
 * `crypto.subtle.digest`, which copies its input when called. A fresh 40 KB array per message
 * cost more than the canonicalisation.
 */
export function relaxedBody(body: string): Uint8Array {
  if (scratch.length < body.length * 3 + 2) {
    // A whole number of words, so the word view covers the buffer.
    scratch = new Uint8Array((body.length * 3 + 2 + 3) & ~3);
    words = new Uint32Array(scratch.buffer);
  }
  const out = scratch;
  let end = encoder.encodeInto(body, out).written;
  // Many bodies (minified HTML, base64 parts, plain prose) have no tab, no space run and no space
  // before a line end: a native scan for tabs and a word-at-a-time scan of the bytes show it,
  // and the regex rewrite is skipped.
  if (body.indexOf("\t") >= 0 || spaceThenSpaceOrCr(end)) {
    end = encoder.encodeInto(body.replace(WHITESPACE, collapse), out).written;
  }
  if (end > 0 && out[end - 1] === 32) end--;
  while (end >= 2 && out[end - 1] === 10 && out[end - 2] === 13) end -= 2;
  if (end === 0) return out.subarray(0, 0);
  out[end] = 13;
  out[end + 1] = 10;
  return out.subarray(0, end + 2);
}

/**
 * Picks the fields named in `h=` order, each name taking the next instance from the bottom (RFC
 * 6376 5.4.2); a name listed more times than it appears contributes nothing, which is what
 * makes over-signing work.
 */
export function selectHeaders(fields: HeaderField[], names: string[]): string[] {
  const used = new Map<string, number>();
  const out: string[] = [];
  for (const name of names) {
    const skip = used.get(name) ?? 0;
    let seen = 0;
    for (let i = fields.length - 1; i >= 0; i--) {
      const field = fields[i];
      if (field?.key !== name) continue;
      if (seen++ === skip) {
        out.push(relaxedHeader(field.raw));
        break;
      }
    }
    used.set(name, skip + 1);
  }
  return out;
}
