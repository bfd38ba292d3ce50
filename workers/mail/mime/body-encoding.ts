/** Transfer encodings for message bodies, written for speed: a campaign encodes every recipient's 30 KB HTML. */

const HEX = "0123456789ABCDEF";
const ESCAPED = Array.from({ length: 256 }, (_, b) => `=${HEX[b >> 4]}${HEX[b & 15]}`);
/** Soft breaks keep encoded lines at 76 characters: 75 of content and the "=". */
const MAX = 75;

const lineEnd = (c: number) => c === 13 || c === 10;

function escapeCodePoint(cp: number): string {
  if (cp < 0x800) return (ESCAPED[0xc0 | (cp >> 6)] ?? "") + ESCAPED[0x80 | (cp & 63)];
  if (cp < 0x10000) {
    return (ESCAPED[0xe0 | (cp >> 12)] ?? "") + ESCAPED[0x80 | ((cp >> 6) & 63)] + ESCAPED[0x80 | (cp & 63)];
  }
  return (
    (ESCAPED[0xf0 | (cp >> 18)] ?? "") +
    ESCAPED[0x80 | ((cp >> 12) & 63)] +
    ESCAPED[0x80 | ((cp >> 6) & 63)] +
    ESCAPED[0x80 | (cp & 63)]
  );
}

/** The escaped UTF-8 bytes of the character at `i`, whose code unit is `c`; a lone surrogate is U+FFFD. */
function escapeAt(text: string, i: number, c: number): string {
  if (c < 128) return ESCAPED[c] ?? "";
  if (c >= 0xd800 && c <= 0xdbff) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return escapeCodePoint(0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00));
    return escapeCodePoint(0xfffd);
  }
  return escapeCodePoint(c >= 0xdc00 && c <= 0xdfff ? 0xfffd : c);
}

/** Anything that is not a literal: "=", line ends, controls, non-ASCII. */
const SPECIAL = /[^\t\x20-\x3c\x3e-\x7e]/g;

/**
 * Quoted-printable (RFC 2045) of text as UTF-8: CRLF line ends, lines of at most 76 characters,
 * whitespace before a line end encoded, a "." starting any line encoded (so nothing relies on
 * dot-stuffing), and a character's bytes never split across a soft break. Decodes to the same
 * text as `encodeQuotedPrintable` in encode.ts. The next special character is found by a native
 * scan (`test` on a global pattern allocates nothing), and the literal stretch before it is
 * copied in slices of up to a line: a loop over every character measured twice as slow.
 */
export function quotedPrintable(text: string): string {
  const len = text.length;
  let out = "";
  let col = 0;
  let i = 0;
  while (i < len) {
    SPECIAL.lastIndex = i;
    const next = SPECIAL.test(text) ? SPECIAL.lastIndex - 1 : len;
    // The literal stretch [i, next): a space or tab right before a line end must be escaped.
    let end = next;
    const before = text.charCodeAt(end - 1);
    const atLineEnd = next === len || lineEnd(text.charCodeAt(next));
    if (end > i && atLineEnd && (before === 32 || before === 9)) end--;
    while (i < end) {
      if (col >= MAX) {
        out += "=\r\n";
        col = 0;
      }
      if (col === 0 && text.charCodeAt(i) === 46) {
        out += "=2E";
        col = 3;
        i++;
        continue;
      }
      const stop = Math.min(end, i + MAX - col);
      out += text.slice(i, stop);
      col += stop - i;
      i = stop;
    }
    if (i >= len) break;
    const c = text.charCodeAt(i);
    if (lineEnd(c)) {
      out += "\r\n";
      col = 0;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      continue;
    }
    const token = escapeAt(text, i, c);
    if (col + token.length > MAX) {
      out += "=\r\n";
      col = 0;
    }
    out += token;
    col += token.length;
    // Only a surrogate pair is four UTF-8 bytes (12 characters escaped), and it takes two code units.
    i += token.length === 12 ? 2 : 1;
  }
  return compact(out);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let scratch = new Uint8Array(64 * 1024);

/**
 * The same ASCII text as a one-byte string. Slices of a source holding any character past
 * U+00FF are two-byte strings, so the encoded body would be too: twice the memory, and every
 * later pass over the message (flattening, canonicalisation, TextEncoder, SMTP) slower.
 */
function compact(ascii: string): string {
  if (scratch.length < ascii.length * 3) scratch = new Uint8Array(ascii.length * 3);
  const { written } = encoder.encodeInto(ascii, scratch);
  return decoder.decode(scratch.subarray(0, written));
}

/** Base64 of bytes in lines of 76 characters (RFC 2045), CRLF between lines. */
export function base64Lines(bytes: Uint8Array): string {
  let binary = "";
  // 0x8000 at a time keeps the argument list of fromCharCode well within engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const b64 = btoa(binary);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\r\n");
}
