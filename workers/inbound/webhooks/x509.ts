// Just enough X.509 (RFC 5280 section 4.1) to verify SNS signatures: WebCrypto imports a
// SubjectPublicKeyInfo but not a certificate, so we walk the DER ourselves and hand it the SPKI.
//
//   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
//   TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
//                                 validity, subject, subjectPublicKeyInfo, ... }

import { fromBase64 } from "../../lib/encoding";

interface Tlv {
  tag: number;
  /** Offset of the tag byte (the whole element is bytes[start, end)). */
  start: number;
  /** Offset of the first content byte. */
  content: number;
  end: number;
}

const SEQUENCE = 0x30;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const VERSION = 0xa0;

/** Reads one DER element at `at`; throws on anything truncated or not DER-shaped. */
function readTlv(bytes: Uint8Array, at: number, limit = bytes.length): Tlv {
  const tag = bytes[at];
  let len = bytes[at + 1];
  if (tag === undefined || len === undefined || (tag & 0x1f) === 0x1f) throw new Error("bad DER tag");
  let content = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    // Certificates are far below 2^32 bytes; indefinite length (n = 0) is not DER.
    if (n === 0 || n > 4) throw new Error("bad DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (bytes[content + i] ?? Number.NaN);
    content += n;
  }
  const end = content + len;
  if (!Number.isFinite(end) || end > limit) throw new Error("truncated DER");
  return { tag, start: at, content, end };
}

/** The children of a constructed element, in order. */
function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.content; at < parent.end; ) {
    const child = readTlv(bytes, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function readTime(bytes: Uint8Array, t: Tlv): Date {
  const text = new TextDecoder().decode(bytes.subarray(t.content, t.end));
  const m =
    t.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : t.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!m) throw new Error("bad certificate time");
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  // RFC 5280 4.1.2.5.1: a two-digit year of 50 or more is 19YY, otherwise 20YY.
  const year = t.tag === UTC_TIME ? ((y ?? 0) >= 50 ? 1900 : 2000) + (y ?? 0) : (y ?? 0);
  return new Date(Date.UTC(year, (mo ?? 1) - 1, d, h, mi, s));
}

export interface CertificateInfo {
  /** The DER SubjectPublicKeyInfo, ready for `crypto.subtle.importKey("spki", ...)`. */
  spki: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

/** The public key and validity period of a DER certificate; throws when it is not one. */
export function readCertificate(der: Uint8Array): CertificateInfo {
  const cert = readTlv(der, 0);
  if (cert.tag !== SEQUENCE || cert.end !== der.length) throw new Error("not a certificate");
  const [tbs] = children(der, cert);
  if (!tbs || tbs.tag !== SEQUENCE) throw new Error("not a certificate");
  const fields = children(der, tbs);
  const rest = fields[0]?.tag === VERSION ? fields.slice(1) : fields;
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const validity = rest[3];
  const spki = rest[5];
  if (!validity || validity.tag !== SEQUENCE || !spki || spki.tag !== SEQUENCE) {
    throw new Error("not a certificate");
  }
  const [notBefore, notAfter] = children(der, validity);
  if (!notBefore || !notAfter) throw new Error("not a certificate");
  return {
    spki: der.slice(spki.start, spki.end),
    notBefore: readTime(der, notBefore),
    notAfter: readTime(der, notAfter),
  };
}

/** The DER bytes of the first certificate in a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m?.[1]) throw new Error("no PEM certificate");
  return fromBase64(m[1].replace(/\s+/g, ""));
}
