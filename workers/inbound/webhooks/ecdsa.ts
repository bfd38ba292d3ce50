// WebCrypto verifies ECDSA signatures in the IEEE P1363 form (r || s, fixed width), while
// SendGrid, like OpenSSL, sends the DER form of RFC 3279 section 2.2.3:
//   Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }

/** Converts a DER ECDSA signature to r || s of `size` bytes each; null when it is not one. */
export function derToP1363(der: Uint8Array, size: number): Uint8Array | null {
  // For P-256 the whole signature is at most 72 bytes, so every length is in short form.
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const out = new Uint8Array(size * 2);
  let at = 2;
  for (const half of [0, 1]) {
    if (der[at] !== 0x02) return null;
    const len = der[at + 1] ?? 0;
    const start = at + 2;
    const end = start + len;
    if (len === 0 || len > size + 1 || end > der.length) return null;
    let int = der.subarray(start, end);
    // A leading zero only keeps a high bit from reading as negative; drop it.
    if (int.length === size + 1) {
      if (int[0] !== 0) return null;
      int = int.subarray(1);
    }
    out.set(int, half * size + (size - int.length));
    at = end;
  }
  return at === der.length ? out : null;
}
