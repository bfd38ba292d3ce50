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
  return encodeDataInfo(message).data;
}

/**
 * `encodeData`, and whether the message needs 8BITMIME. A string that is CRLF throughout with no
 * line starting with "." (every message we compose) is encoded once, natively, with no per-line
 * copies; for ASCII the same pass proves there is no 8-bit byte, so no scan is needed for that.
 */
export function encodeDataInfo(message: string | Uint8Array): { data: Uint8Array; eightBit: boolean } {
  if (typeof message === "string" && needsNoStuffing(message)) {
    const tail = message.length === 0 || message.endsWith("\r\n") ? TERMINATOR : CRLF_TERMINATOR;
    let out = new Uint8Array(message.length + tail.length);
    const { read, written } = encoder.encodeInto(message, out);
    const ascii = read === message.length && written === message.length;
    if (!ascii) {
      const bytes = encoder.encode(message);
      out = new Uint8Array(bytes.length + tail.length);
      out.set(bytes);
    }
    out.set(tail, out.length - tail.length);
    return { data: out, eightBit: !ascii };
  }
  return { data: stuff(message), eightBit: hasEightBit(message) };
}

const TERMINATOR = new Uint8Array([DOT, CR, LF]);
const CRLF_TERMINATOR = new Uint8Array([CR, LF, DOT, CR, LF]);

/** True when every line end is CRLF and no line starts with "." (two indexOf walks). */
function needsNoStuffing(s: string): boolean {
  if (s.charCodeAt(0) === DOT) return false;
  for (let at = s.indexOf("\n"); at >= 0; at = s.indexOf("\n", at + 1)) {
    if (s.charCodeAt(at - 1) !== CR || s.charCodeAt(at + 1) === DOT) return false;
  }
  for (let at = s.indexOf("\r"); at >= 0; at = s.indexOf("\r", at + 1)) {
    if (s.charCodeAt(at + 1) !== LF) return false;
  }
  return true;
}

function stuff(message: string | Uint8Array): Uint8Array {
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
