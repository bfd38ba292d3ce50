const encoder = new TextEncoder();

/** Base64 of bytes (btoa works on "binary strings"). */
function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * RFC 2047 header text: printable ASCII is returned as is; anything else becomes UTF-8 base64
 * encoded-words of at most 75 characters, folded onto continuation lines. Words never split a
 * character, so each one decodes on its own.
 */
export function encodeHeaderWords(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && !value.includes("=?")) return value;
  const words: string[] = [];
  let chunk: number[] = [];
  // 39 bytes -> 52 base64 characters, + 12 for "=?UTF-8?B?" and "?=" = 64: within the 75 of
  // RFC 2047 with room for a header name such as "Subject: " on the first line (76 in all).
  for (const ch of value) {
    const bytes = encoder.encode(ch);
    if (chunk.length + bytes.length > 39) {
      words.push(`=?UTF-8?B?${base64(Uint8Array.from(chunk))}?=`);
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0) words.push(`=?UTF-8?B?${base64(Uint8Array.from(chunk))}?=`);
  return words.join("\r\n ");
}

const HEX = "0123456789ABCDEF";

/**
 * Quoted-printable (RFC 2045) of UTF-8 text: CRLF line ends, lines of at most 76 characters
 * (soft breaks), trailing whitespace protected, and a leading "." encoded so that no line relies
 * on the transport's dot-stuffing.
 */
export function encodeQuotedPrintable(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return lines.map(encodeQpLine).join("\r\n");
}

function encodeQpLine(line: string): string {
  const bytes = encoder.encode(line);
  const tokens: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const last = i === bytes.length - 1;
    const plain =
      (b >= 33 && b <= 126 && b !== 61 && !(b === 46 && i === 0)) || ((b === 32 || b === 9) && !last);
    tokens.push(plain ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`);
  }
  const out: string[] = [];
  let current = "";
  for (const token of tokens) {
    // 75 leaves room for the "=" of the soft break.
    if (current.length + token.length > 75) {
      out.push(`${current}=`);
      current = "";
    }
    current += token;
  }
  out.push(current);
  return out.join("\r\n");
}
