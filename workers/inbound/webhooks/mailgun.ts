// POST /webhooks/mailgun: Mailgun's JSON webhooks, `{signature: {timestamp, token, signature},
// "event-data": {...}}`. The signature is the hex HMAC-SHA256 of timestamp + token under the
// webhook signing key ("Securing Webhooks", documentation.mailgun.com/docs/mailgun/user-manual/
// webhooks/securing-webhooks). Events (".../user-manual/events"): `failed` with `severity`
// permanent or temporary, `reason` and `delivery-status {code, message, description}`;
// `complained`; `delivered`. `message.headers.message-id` is the Message-ID we sent.

import type { Env } from "../../env";
import { hmacSha256, timingSafeEqual } from "../../lib/crypto";
import { toHex } from "../../lib/encoding";
import {
  addressOf,
  classifyFailure,
  dateOf,
  isFresh,
  malformed,
  messageIdOf,
  type Notices,
  parseJson,
  refused,
  type Verdict,
} from "./notice";
import type { WebhookRequest } from "./request";

/** On when MAILGUN_WEBHOOK_SIGNING_KEY is set. */
export const mailgunConfigured = (env: Env) => Boolean(env.MAILGUN_WEBHOOK_SIGNING_KEY);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Mailgun's tokens are 50 characters; a bound keeps the remembered replay keys small. */
const MAX_TOKEN_LENGTH = 256;

/**
 * Checks `signature` against the signing key and its timestamp's age; throws 401 when either
 * fails. Returns the replay key of its (timestamp, token): the signature does not cover the event
 * data, so a captured signature would carry any other event for as long as it is fresh, unless
 * each token is accepted once (Mailgun's "Securing Webhooks" asks receivers to cache tokens).
 */
export async function verifyMailgun(env: Env, signature: Json): Promise<string> {
  const timestamp = str(signature.timestamp);
  const token = str(signature.token);
  const given = str(signature.signature).toLowerCase();
  if (!timestamp || !token || !given) throw refused("Missing webhook signature");
  if (!/^\d{1,12}$/.test(timestamp) || !isFresh(Number(timestamp))) throw refused("Stale webhook timestamp");
  if (token.length > MAX_TOKEN_LENGTH) throw refused();
  const expected = toHex(await hmacSha256(env.MAILGUN_WEBHOOK_SIGNING_KEY ?? "", timestamp + token));
  if (!timingSafeEqual(given, expected)) throw refused();
  return `webhook:mailgun:${timestamp}:${token}`;
}

// Mailgun's own suppression lists: a "suppress-bounce" failure means the address bounced before.
const REASONS: Record<string, Verdict> = { "suppress-bounce": "hard", old: "soft", espblock: "soft" };

/** Verifies a Mailgun webhook and returns its bounce or complaint, to be accepted once (`replayKey`). */
export async function readMailgun(env: Env, req: WebhookRequest): Promise<Notices> {
  const body = obj(parseJsonOrEmpty(req.text));
  const replayKey = await verifyMailgun(env, obj(body.signature));
  if (!body["event-data"]) throw malformed("Missing event-data");
  return { ...noticesOf(obj(body["event-data"])), replayKey };
}

/** The bounce or complaint of one verified event. */
function noticesOf(data: Json): Notices {
  const email = addressOf(data.recipient);
  const id = str(data.id);
  const messageId = messageIdOf(obj(obj(data.message).headers)["message-id"]);
  const sender = str(obj(data.envelope).sender);
  const base = {
    email,
    occurredAt: dateOf(data.timestamp),
    match: {
      bounceAddresses: sender ? [sender] : [],
      messageIds: messageId ? [messageId] : [],
      byEmail: false,
    },
  };
  if (!email || !id) return { items: [], ignored: 1 };
  if (data.event === "complained") {
    const item = { ...base, kind: "complaint" as const, feedbackType: "abuse" };
    return { items: [{ ...item, dedupeKey: `mailgun:complaint:${id}:${email}` }], ignored: 0 };
  }
  // Temporary failures are retried by Mailgun; only the final word counts.
  if (data.event !== "failed" || data.severity !== "permanent") return { items: [], ignored: 1 };
  const reason = str(data.reason);
  if (reason === "suppress-unsubscribe" || reason === "suppress-complaint") return { items: [], ignored: 1 };
  const status = obj(data["delivery-status"]);
  const text = [str(status.message), str(status.description)].filter(Boolean).join(" ");
  const code = Number(status.code);
  const c = classifyFailure(
    REASONS[reason] ?? "classify",
    { ...(Number.isInteger(code) ? { code } : {}), enhanced: str(status["enhanced-code"]), text },
    reason,
  );
  return {
    items: [
      {
        ...base,
        kind: "bounce",
        ...c,
        ...(text ? { diagnostic: text } : {}),
        dedupeKey: `mailgun:bounce:${id}:${email}`,
      },
    ],
    ignored: 0,
  };
}

// The signature lives inside the body, so a body that is not JSON has no signature: a 401.
function parseJsonOrEmpty(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    return {};
  }
}
