// POST /webhooks/ses: Amazon SES notifications delivered by SNS. The SNS signature is checked
// first (sns.ts); a SubscriptionConfirmation for an allowed topic is confirmed; a Notification
// carries one SES message. Its format: "Amazon SNS notification contents for Amazon SES"
// (docs.aws.amazon.com/ses/latest/dg/notification-contents.html): `notificationType` (or
// `eventType` for event publishing) Bounce, Complaint or Delivery; `bounce.bounceType`
// Permanent, Transient or Undetermined with `bouncedRecipients[{emailAddress, action, status,
// diagnosticCode}]`; `complaint.complainedRecipients` and `complaintFeedbackType`; `mail.source`
// (the envelope sender: our per-send bounce address), `mail.headers` and `mail.commonHeaders`.

import { z } from "zod";
import type { Env } from "../../env";
import {
  addressOf,
  classifyFailure,
  dateOf,
  type MatchKey,
  messageIdOf,
  type Notice,
  type Notices,
  refused,
} from "./notice";
import type { WebhookRequest } from "./request";
import { allowedTopics, confirmSubscription, readSnsEnvelope, verifySns } from "./sns";

const Recipient = z.object({
  emailAddress: z.string(),
  status: z.string().optional(),
  action: z.string().optional(),
  diagnosticCode: z.string().optional(),
});

const SesMessageSchema = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: z
    .object({
      source: z.string().optional(),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      commonHeaders: z.object({ messageId: z.string().optional() }).optional(),
    })
    .optional(),
  bounce: z
    .object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(Recipient),
      timestamp: z.string().optional(),
      feedbackId: z.string().optional(),
    })
    .optional(),
  complaint: z
    .object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
      complaintFeedbackType: z.string().optional(),
      timestamp: z.string().optional(),
      feedbackId: z.string().optional(),
    })
    .optional(),
});

type SesMessage = z.infer<typeof SesMessageSchema>;

/** SES is on once SES_TOPIC_ARNS names the topics to accept: any AWS account can sign an SNS message. */
export const sesConfigured = (env: Env) => allowedTopics(env).length > 0;

/** Verifies an SNS delivery and returns the SES bounces and complaints it carries. */
export async function readSes(env: Env, req: WebhookRequest): Promise<Notices> {
  const envelope = readSnsEnvelope(parseJsonOrNull(req.text));
  if (!envelope) throw refused("Not a signed SNS message");
  // A valid signature proves SNS sent it, not that it is our topic: anyone can subscribe us to
  // theirs. Checked first, so a foreign topic costs no certificate fetch.
  if (!allowedTopics(env).includes(envelope.TopicArn)) throw refused("Topic not accepted");
  await verifySns(env, envelope);
  if (envelope.Type === "SubscriptionConfirmation") {
    await confirmSubscription(env, envelope);
    return { items: [], ignored: 0, subscribed: true };
  }
  if (envelope.Type !== "Notification") return { items: [], ignored: 1 };
  // A message that is not SES's (a test publish from the console) is acknowledged, or SNS retries it.
  const parsed = SesMessageSchema.safeParse(parseJsonOrNull(envelope.Message));
  if (!parsed.success) return { items: [], ignored: 1 };
  return sesNotices(parsed.data, envelope.MessageId);
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function matchOf(m: SesMessage): MatchKey {
  const header = m.mail?.headers?.find((h) => h.name.toLowerCase() === "message-id")?.value;
  const ids = [messageIdOf(header), messageIdOf(m.mail?.commonHeaders?.messageId)].filter(Boolean);
  return {
    bounceAddresses: m.mail?.source ? [m.mail.source] : [],
    messageIds: [...new Set(ids)],
    byEmail: false,
  };
}

/** The notices of one SES message; `snsId` stands in for a missing feedbackId in dedupe keys. */
export function sesNotices(m: SesMessage, snsId: string): Notices {
  const type = m.notificationType ?? m.eventType ?? "";
  const match = matchOf(m);
  const items: Notice[] = [];
  let ignored = 0;
  if (type === "Bounce" && m.bounce) {
    const b = m.bounce;
    // Transient and Undetermined bounces are final too (SES has stopped retrying), but say
    // nothing against the address: soft, left to the soft-bounce limit.
    const verdict = b.bounceType === "Permanent" ? "permanent" : "soft";
    const feedback = b.feedbackId ?? snsId;
    for (const r of b.bouncedRecipients) {
      const email = addressOf(r.emailAddress);
      if (!email || (r.action && r.action !== "failed")) {
        ignored++;
        continue;
      }
      const c = classifyFailure(
        verdict,
        { enhanced: r.status, text: r.diagnosticCode },
        (b.bounceSubType ?? "").toLowerCase(),
      );
      items.push({
        kind: "bounce",
        email,
        ...c,
        ...(r.diagnosticCode ? { diagnostic: r.diagnosticCode } : {}),
        dedupeKey: `ses:bounce:${feedback}:${email}`,
        occurredAt: dateOf(b.timestamp),
        match,
      });
    }
  } else if (type === "Complaint" && m.complaint) {
    const c = m.complaint;
    const feedback = c.feedbackId ?? snsId;
    for (const r of c.complainedRecipients) {
      const email = addressOf(r.emailAddress);
      if (!email) {
        ignored++;
        continue;
      }
      items.push({
        kind: "complaint",
        email,
        feedbackType: c.complaintFeedbackType ?? "abuse",
        dedupeKey: `ses:complaint:${feedback}:${email}`,
        occurredAt: dateOf(c.timestamp),
        match,
      });
    }
  } else {
    ignored++; // Delivery, DeliveryDelay, Send, Open, Click...
  }
  return { items, ignored };
}
