import { toBase64 } from "../../lib/encoding";

/** The signing algorithms we publish and sign with. */
export type DkimAlgorithm = "rsa-sha256" | "ed25519-sha256";

/** A key pair as stored: public key as published in `p=`, private key as base64 PKCS#8. */
export interface DkimKeyPair {
  publicKey: string;
  privateKey: string;
}

/**
 * New DKIM keys with WebCrypto: RSA-2048 (public key base64 SubjectPublicKeyInfo) and optionally
 * Ed25519 (public key the raw 32 bytes in base64, as RFC 8463 publishes it).
 */
export async function generateDkimKeys(
  options: { ed25519?: boolean } = {},
): Promise<{ rsa: DkimKeyPair; ed25519?: DkimKeyPair }> {
  const rsa = (await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const result: { rsa: DkimKeyPair; ed25519?: DkimKeyPair } = {
    rsa: {
      publicKey: await exportBase64("spki", rsa.publicKey),
      privateKey: await exportBase64("pkcs8", rsa.privateKey),
    },
  };
  if (options.ed25519) {
    const ed = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    result.ed25519 = {
      publicKey: await exportBase64("raw", ed.publicKey),
      privateKey: await exportBase64("pkcs8", ed.privateKey),
    };
  }
  return result;
}

async function exportBase64(format: "spki" | "pkcs8" | "raw", key: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array((await crypto.subtle.exportKey(format, key)) as ArrayBuffer));
}

/** The TXT record to publish for a selector: its name, the value, and the value in 255-octet strings. */
export function dkimDnsRecord(input: {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  publicKey: string;
}): { name: string; type: "TXT"; value: string; strings: string[] } {
  const k = input.algorithm === "ed25519-sha256" ? "ed25519" : "rsa";
  const value = `v=DKIM1; k=${k}; p=${input.publicKey}`;
  // A TXT character-string holds at most 255 octets; resolvers join a record's strings.
  const strings: string[] = [];
  for (let i = 0; i < value.length; i += 255) strings.push(value.slice(i, i + 255));
  return { name: `${input.selector}._domainkey.${input.domain}`, type: "TXT", value, strings };
}
