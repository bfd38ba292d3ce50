// POST /webhooks/sendgrid: Twilio SendGrid's Event Webhook, an array of events, with the Signed
// Event Webhook: ECDSA P-256 / SHA-256 over `timestamp + raw body`, the signature base64 DER in
// X-Twilio-Email-Event-Webhook-Signature and the time in X-Twilio-Email-Event-Webhook-Timestamp,
// the verification key base64 SPKI ("Getting Started with the Event Webhook Security Features",
// twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features).
// Events and fields ("Event Webhook Reference", .../tracking-events/event): bounce (`type`
// bounce or blocked, `status`, `reason`), dropped (`reason`), deferred, delivered, spamreport;
// `smtp-id` is the Message-ID of the message, `sg_event_id` unique per event.

import type { Env } from "../../env";
import { fromBase64, utf8 } from "../../lib/encoding";
import { AppError } from "../../lib/errors";
import { derToP1363 } from "./ecdsa";
import {
  addressOf,
  classifyFailure,
  dateOf,
  isFresh,
  malformed,
  messageIdOf,
  type Notice,
  type Notices,
  parseJson,
  refused,
  type Verdict,
} from "./notice";
import type { WebhookRequest } from "./request";

/** On when SENDGRID_WEBHOOK_PUBLIC_KEY holds the verification key. */
export const sendgridConfigured = (env: Env) => Boolean(env.SENDGRID_WEBHOOK_PUBLIC_KEY);

const keys = new Map<string, CryptoKey>();

async function publicKey(spkiBase64: string): Promise<CryptoKey> {
  const cached = keys.get(spkiBase64);
  if (cached) return cached;
  // The dashboard shows bare base64; accept a PEM-wrapped copy too.
  const b64 = spkiBase64.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      "spki",
      fromBase64(b64),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
  } catch {
    // A configuration error: a 500 naming the variable (never its value), not a 401.
    throw new AppError("misconfigured", "SENDGRID_WEBHOOK_PUBLIC_KEY is not a base64 P-256 public key");
  }
  keys.set(spkiBase64, key);
  return key;
}

/** Checks the signature and timestamp headers; throws 401 when either is missing, wrong or stale. */
export async function verifySendgrid(env: Env, req: WebhookRequest): Promise<void> {
  const signature = req.headers.get("x-twilio-email-event-webhook-signature");
  const timestamp = req.headers.get("x-twilio-email-event-webhook-timestamp");
  if (!signature || !timestamp) throw refused("Missing webhook signature");
  if (!/^\d{1,12}$/.test(timestamp) || !isFresh(Number(timestamp))) throw refused("Stale webhook timestamp");
  let raw: Uint8Array | null;
  try {
    raw = derToP1363(fromBase64(signature), 32);
  } catch {
    raw = null;
  }
  if (!raw) throw refused();
  const key = await publicKey(env.SENDGRID_WEBHOOK_PUBLIC_KEY ?? "");
  const prefix = utf8(timestamp);
  const signed = new Uint8Array(prefix.length + req.body.length);
  signed.set(prefix);
  signed.set(req.body, prefix.length);
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, raw, signed);
  if (!ok) throw refused();
}

type SendgridEvent = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");

// A dropped event means SendGrid did not try; only its own suppression lists say anything about
// the address ("Bounced Address", "Invalid", "Spam Reporting Address").
function droppedNotice(e: SendgridEvent, base: Omit<Notice, "kind">): Notice | null {
  const reason = str(e.reason);
  if (/spam reporting address/i.test(reason)) return { ...base, kind: "complaint", feedbackType: "abuse" };
  if (!/bounced address|invalid/i.test(reason)) return null;
  return { ...base, kind: "bounce", ...classifyFailure("hard", { text: reason }), diagnostic: reason };
}

function noticeOf(e: SendgridEvent): Notice | null {
  const email = addressOf(e.email);
  const id = str(e.sg_event_id);
  if (!email || !id) return null;
  const smtpId = messageIdOf(e["smtp-id"]);
  const base = {
    email,
    dedupeKey: `sendgrid:${id}:${email}`,
    occurredAt: dateOf(e.timestamp),
    match: { bounceAddresses: [], messageIds: smtpId ? [smtpId] : [], byEmail: false },
  };
  switch (e.event) {
    case "bounce": {
      // `blocked` is the receiving server refusing the sender (reputation, content), not the address.
      const verdict: Verdict = e.type === "blocked" ? "soft" : "classify";
      const reason = str(e.reason);
      const c = classifyFailure(
        verdict,
        { enhanced: str(e.status), text: reason },
        str(e.bounce_classification).toLowerCase(),
      );
      return { ...base, kind: "bounce", ...c, ...(reason ? { diagnostic: reason } : {}) };
    }
    case "dropped":
      return droppedNotice(e, base);
    case "spamreport":
      return { ...base, kind: "complaint", feedbackType: "abuse" };
    default:
      return null; // deferred (still retrying), delivered, processed, open, click, unsubscribe...
  }
}

/** Verifies a SendGrid Event Webhook post and returns its bounces and complaints. */
export async function readSendgrid(env: Env, req: WebhookRequest): Promise<Notices> {
  await verifySendgrid(env, req);
  const body = parseJson(req.text);
  if (!Array.isArray(body)) throw malformed("Expected an array of events");
  const items: Notice[] = [];
  let ignored = 0;
  for (const e of body) {
    const n = e && typeof e === "object" && !Array.isArray(e) ? noticeOf(e as SendgridEvent) : null;
    if (n) items.push(n);
    else ignored++;
  }
  return { items, ignored };
}
