// Amazon SNS HTTP(S) deliveries: the envelope, its signature and subscription confirmation.
// Formats and the string to sign: "Parsing Amazon SNS message formats" and "Verifying the
// signatures of Amazon SNS messages" (docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html,
// .../sns-verify-signature-of-message.html). SignatureVersion 1 is SHA1withRSA, 2 SHA256withRSA,
// over `Name\nvalue\n` for each signed field in byte order of the names.

import { z } from "zod";
import { type Env, isDevelopment } from "../../env";
import { fromBase64 } from "../../lib/encoding";
import { AppError } from "../../lib/errors";
import { refused } from "./notice";
import { pemToDer, readCertificate } from "./x509";

const SnsEnvelopeSchema = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string(),
  TopicArn: z.string(),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.enum(["1", "2"]),
  Signature: z.string(),
  SigningCertURL: z.string(),
  Subject: z.string().optional(),
  SubscribeURL: z.string().optional(),
  Token: z.string().optional(),
});

export type SnsEnvelope = z.infer<typeof SnsEnvelopeSchema>;

/** The SNS envelope in a parsed body, or null when the body is not one (that is a 401: nothing is signed). */
export function readSnsEnvelope(body: unknown): SnsEnvelope | null {
  const parsed = SnsEnvelopeSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** The canonical string SNS signs; null when a field the type requires is missing. */
export function snsStringToSign(m: SnsEnvelope): string | null {
  const fields: [string, string | undefined][] =
    m.Type === "Notification"
      ? [
          ["Message", m.Message],
          ["MessageId", m.MessageId],
          ...(m.Subject === undefined ? [] : ([["Subject", m.Subject]] as [string, string][])),
          ["Timestamp", m.Timestamp],
          ["TopicArn", m.TopicArn],
          ["Type", m.Type],
        ]
      : [
          ["Message", m.Message],
          ["MessageId", m.MessageId],
          ["SubscribeURL", m.SubscribeURL],
          ["Timestamp", m.Timestamp],
          ["Token", m.Token],
          ["TopicArn", m.TopicArn],
          ["Type", m.Type],
        ];
  if (fields.some(([, v]) => v === undefined)) return null;
  return fields.map(([k, v]) => `${k}\n${v}\n`).join("");
}

// The pattern AWS's own message validators use; China regions end in .amazonaws.com.cn.
const SNS_HOST = /^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;

/**
 * Whether a URL from the envelope (SigningCertURL, SubscribeURL) points at SNS itself: https on
 * `sns.<region>.amazonaws.com`. SNS_CERT_HOST_PATTERN replaces the host rule, and allows http,
 * only in development and tests, so a stray production variable cannot open the door.
 */
export function isSnsUrl(env: Env, raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const override = isDevelopment(env) ? env.SNS_CERT_HOST_PATTERN : undefined;
  if (override) {
    try {
      return /^https?:$/.test(url.protocol) && new RegExp(override).test(url.host);
    } catch {
      return false; // an invalid pattern matches nothing
    }
  }
  return url.protocol === "https:" && url.port === "" && SNS_HOST.test(url.hostname);
}

// Imported keys per certificate URL and hash, for this isolate. Only finished keys are kept:
// a pending fetch belongs to the request that started it, and Workers may not share that I/O.
const keys = new Map<string, CryptoKey>();
const MAX_CERT_BYTES = 16 * 1024;

async function signingKey(env: Env, url: string, hash: "SHA-1" | "SHA-256"): Promise<CryptoKey> {
  const cacheKey = `${hash} ${url}`;
  const cached = keys.get(cacheKey);
  if (cached) return cached;
  if (!isSnsUrl(env, url)) throw refused("The signing certificate is not from Amazon SNS");
  let pem: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: "manual" });
    if (!res.ok) throw new Error(`status ${res.status}`);
    pem = await res.text();
  } catch {
    // SNS retries a delivery that fails, so a passing outage costs nothing.
    throw new AppError("unavailable", "Could not fetch the SNS signing certificate");
  }
  if (pem.length > MAX_CERT_BYTES) throw refused("The signing certificate is not usable");
  let key: CryptoKey;
  try {
    const cert = readCertificate(pemToDer(pem));
    const now = Date.now();
    if (now < cert.notBefore.getTime() || now > cert.notAfter.getTime()) throw new Error("expired");
    key = await crypto.subtle.importKey("spki", cert.spki, { name: "RSASSA-PKCS1-v1_5", hash }, false, [
      "verify",
    ]);
  } catch {
    throw refused("The signing certificate is not usable");
  }
  if (keys.size > 20) keys.clear(); // SNS rotates certificates rarely; this only bounds memory
  keys.set(cacheKey, key);
  return key;
}

/** Verifies an SNS envelope's signature with the certificate at its SigningCertURL; throws 401 if it fails. */
export async function verifySns(env: Env, m: SnsEnvelope): Promise<void> {
  const text = snsStringToSign(m);
  if (text === null) throw refused();
  const key = await signingKey(env, m.SigningCertURL, m.SignatureVersion === "1" ? "SHA-1" : "SHA-256");
  let signature: Uint8Array;
  try {
    signature = fromBase64(m.Signature);
  } catch {
    throw refused();
  }
  const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, new TextEncoder().encode(text));
  if (!ok) throw refused();
}

/** Confirms a verified SubscriptionConfirmation by visiting its SubscribeURL (which must be SNS's own). */
export async function confirmSubscription(env: Env, m: SnsEnvelope): Promise<void> {
  if (!m.SubscribeURL || !isSnsUrl(env, m.SubscribeURL)) throw refused("The SubscribeURL is not Amazon SNS");
  let ok = false;
  try {
    const res = await fetch(m.SubscribeURL, { signal: AbortSignal.timeout(5000), redirect: "manual" });
    ok = res.ok;
    await res.body?.cancel();
  } catch {
    ok = false;
  }
  if (!ok) throw new AppError("unavailable", "Could not confirm the SNS subscription");
}

/** The topics SES_TOPIC_ARNS allows (an empty list when unset: the SES webhook is then off). */
export function allowedTopics(env: Env): string[] {
  return (env.SES_TOPIC_ARNS ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}
