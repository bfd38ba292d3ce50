import { fromBase64, toBase64 } from "../../lib/encoding";
import { parseHeaderFields, relaxedBody, relaxedHeader, selectHeaders, splitMessage, toCrlf } from "./canon";
import type { DkimAlgorithm } from "./keys";

export { type DkimAlgorithm, type DkimKeyPair, dkimDnsRecord, generateDkimKeys } from "./keys";

/** One signing key: the `d=` domain, the selector, the algorithm and the base64 PKCS#8 private key. */
export interface DkimKey {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  privateKey: string;
}

/**
 * Signed when present, in this order. From is listed once more by the signer (over-signing), so
 * a second From added in transit breaks the signature instead of being shown to the reader.
 */
export const SIGNED_HEADERS = [
  "from",
  "to",
  "cc",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "reply-to",
  "list-id",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "feedback-id",
];

interface ImportedKey extends Omit<DkimKey, "privateKey"> {
  key: CryptoKey;
}

const encoder = new TextEncoder();
const imported = new Map<string, Promise<CryptoKey>>();

/** Imports a private key once per isolate: import costs more than a signature. */
function importKey(key: DkimKey): Promise<CryptoKey> {
  const cacheKey = `${key.algorithm}:${key.privateKey}`;
  let pending = imported.get(cacheKey);
  if (!pending) {
    const algorithm =
      key.algorithm === "rsa-sha256" ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } : { name: "Ed25519" };
    pending = crypto.subtle.importKey("pkcs8", fromBase64(key.privateKey), algorithm, false, ["sign"]);
    pending.catch(() => imported.delete(cacheKey));
    imported.set(cacheKey, pending);
  }
  return pending;
}

const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));

/** Joins pieces with `separator`, folding onto a new line before a piece that would pass 76 characters. */
function fold(pieces: string[], separator: string, first: number): string {
  let out = "";
  let line = first;
  for (const [k, piece] of pieces.entries()) {
    const add = k === 0 ? piece : separator + piece;
    if (k > 0 && line + add.length > 76) {
      out += `${separator.trimEnd()}\r\n ${piece}`;
      line = 1 + piece.length;
    } else {
      out += add;
      line += add.length;
    }
  }
  return out;
}

const chunks = (s: string, n: number) =>
  Array.from({ length: Math.ceil(s.length / n) }, (_, i) => s.slice(i * n, i * n + n));

/**
 * DKIM signer (RFC 6376, relaxed/relaxed; RSA-SHA256 and Ed25519-SHA256 per RFC 8463): one
 * DKIM-Signature per key, sharing one body hash. Create it once per sending domain and reuse it.
 */
export class DkimSigner {
  private constructor(
    private readonly keys: ImportedKey[],
    private readonly headers: string[],
  ) {}

  /** Imports the keys (once each) and returns a signer for them. */
  static async create(keys: DkimKey[], options: { headers?: string[] } = {}): Promise<DkimSigner> {
    if (keys.length === 0) throw new Error("DkimSigner needs at least one key");
    const loaded = await Promise.all(
      keys.map(async (key) => {
        const { privateKey: _, ...rest } = key;
        return { ...rest, key: await importKey(key) };
      }),
    );
    return new DkimSigner(
      loaded,
      (options.headers ?? SIGNED_HEADERS).map((h) => h.toLowerCase()),
    );
  }

  /**
   * The message (line ends normalised to CRLF) with its DKIM-Signature header(s) prepended.
   * `crlf: true` says the caller already has CRLF line ends throughout (composeMessage's output
   * always does), which skips a scan of the whole message.
   */
  async sign(raw: string, options: { timestamp?: number; crlf?: boolean } = {}): Promise<string> {
    const message = options.crlf ? raw : toCrlf(raw);
    const { header, body } = splitMessage(message);
    const fields = parseHeaderFields(header);
    const present = new Set(fields.map((f) => f.key));
    if (!present.has("from")) throw new Error("cannot DKIM-sign a message without a From header");
    const names = ["from", ...this.headers.filter((h) => present.has(h))];
    const signedHeaders = selectHeaders(fields, names)
      .map((h) => `${h}\r\n`)
      .join("");
    const bodyHash = toBase64(await sha256(relaxedBody(body)));
    const t = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signatures = await Promise.all(
      this.keys.map(async (k) => {
        const tags = [
          "v=1",
          `a=${k.algorithm}`,
          "c=relaxed/relaxed",
          `d=${k.domain}`,
          `s=${k.selector}`,
          `t=${t}`,
        ];
        const unsigned =
          `DKIM-Signature: ${fold(tags, "; ", 16)};\r\n h=${fold(names, ":", 3)};\r\n` +
          ` bh=${bodyHash};\r\n b=`;
        const data = encoder.encode(signedHeaders + relaxedHeader(unsigned));
        const signature =
          k.algorithm === "rsa-sha256"
            ? await crypto.subtle.sign("RSASSA-PKCS1-v1_5", k.key, data)
            : await crypto.subtle.sign("Ed25519", k.key, await sha256(data));
        // Whitespace inside b= is ignored by verifiers, so the value folds freely.
        return `${unsigned}${chunks(toBase64(new Uint8Array(signature)), 72).join("\r\n ")}\r\n`;
      }),
    );
    return signatures.join("") + message;
  }
}
