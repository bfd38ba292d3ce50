import { expect, it } from "vitest";
import { encodeData } from "../../workers/mail/smtp-data";

/** The straightforward byte-by-byte encoding, as the reference the fast one must match. */
function reference(message: string): Uint8Array {
  const input = new TextEncoder().encode(message);
  const out = new Uint8Array(input.length * 2 + 5);
  let n = 0;
  let lineStart = true;
  for (let i = 0; i < input.length; i++) {
    const b = input[i] ?? 0;
    if (b === 13 || b === 10) {
      if (b === 13 && input[i + 1] === 10) i++;
      out[n++] = 13;
      out[n++] = 10;
      lineStart = true;
      continue;
    }
    if (lineStart && b === 46) out[n++] = 46;
    out[n++] = b;
    lineStart = false;
  }
  if (!lineStart) {
    out[n++] = 13;
    out[n++] = 10;
  }
  out[n++] = 46;
  out[n++] = 13;
  out[n++] = 10;
  return out.subarray(0, n);
}
it("dot-stuffs and normalises line ends exactly like the byte-by-byte reference, on random inputs", () => {
  const alphabet = ["a", ".", "\r", "\n", "\r\n", "é", " "];
  for (let k = 0; k < 20000; k++) {
    let s = "";
    const len = Math.floor(Math.random() * 12);
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
    expect(Array.from(encodeData(s)), JSON.stringify(s)).toEqual(Array.from(reference(s)));
  }
});
