const CR = 13;
const LF = 10;
const DOT = 46;

const encoder = new TextEncoder();

/**
 * The DATA payload for a message: line ends normalised to CRLF (lone CR or LF included), a dot
 * doubled at the start of every line (RFC 5321 4.5.2), a final CRLF, then the ".\r\n" terminator.
 * Messages we compose are CRLF already: lines are found with a native indexOf and copied whole,
 * so the per-byte work is only for a line that needs changing.
 */
export function encodeData(message: string | Uint8Array): Uint8Array {
  const input = typeof message === "string" ? encoder.encode(message) : message;
  // Worst case: every byte a "." at a line start or a lone LF -> 2 bytes each, plus the tail.
  const out = new Uint8Array(input.length * 2 + 5);
  let n = 0;
  let start = 0;
  while (start < input.length) {
    if (input[start] === DOT) out[n++] = DOT;
    const lf = input.indexOf(LF, start);
    const cr = input.indexOf(CR, start);
    const proper = lf > start && cr === lf - 1;
    if (proper) {
      // A CRLF line: copy it as it is, line end included.
      out.set(input.subarray(start, lf + 1), n);
      n += lf + 1 - start;
      start = lf + 1;
      continue;
    }
    // A lone CR or LF (or the last line without an end): this line is rebuilt.
    const end = cr >= 0 && (lf < 0 || cr < lf) ? cr : lf >= 0 ? lf : input.length;
    out.set(input.subarray(start, end), n);
    n += end - start;
    if (end === input.length) break;
    out[n++] = CR;
    out[n++] = LF;
    start = input[end] === CR && input[end + 1] === LF ? end + 2 : end + 1;
  }
  if (n > 0 && !(out[n - 2] === CR && out[n - 1] === LF)) {
    out[n++] = CR;
    out[n++] = LF;
  }
  out[n++] = DOT;
  out[n++] = CR;
  out[n++] = LF;
  return out.subarray(0, n);
}

/** True when the bytes need 8BITMIME (anything outside 7-bit ASCII). */
export function hasEightBit(message: string | Uint8Array): boolean {
  if (typeof message === "string") return /[\u0080-\uffff]/.test(message);
  return message.some((b) => b > 127);
}
