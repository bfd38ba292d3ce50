import { expect, it } from "vitest";
import { encodeData, encodeDataInfo } from "../../workers/mail/smtp/data";

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

it("takes the one-pass path for clean CRLF messages and still matches the reference, with the 8-bit flag", () => {
  const lines = ["Subject: x", "", "plain ascii line", "caf\u00e9 line", "a.b", " .lead space", "😀"];
  for (let k = 0; k < 5000; k++) {
    const n = Math.floor(Math.random() * 6);
    const picked = Array.from({ length: n }, () => lines[Math.floor(Math.random() * lines.length)] ?? "");
    const s = picked.join("\r\n") + (Math.random() < 0.5 ? "\r\n" : "");
    const { data, eightBit } = encodeDataInfo(s);
    expect(Array.from(data), JSON.stringify(s)).toEqual(Array.from(reference(s)));
    expect(eightBit, JSON.stringify(s)).toBe([...s].some((c) => c.charCodeAt(0) > 127));
  }
  // A line starting with "." or a bare LF leaves the fast path; the result is the same.
  expect(new TextDecoder().decode(encodeDataInfo("a\r\n.b\r\n").data)).toBe("a\r\n..b\r\n.\r\n");
  expect(new TextDecoder().decode(encodeDataInfo("a\nb").data)).toBe("a\r\nb\r\n.\r\n");
  expect(encodeDataInfo(new Uint8Array([0xc3, 0xa9])).eightBit).toBe(true);
});
