// Cloudflare Email Service's delivery and bounce reports. Cloudflare handles bounces itself (its
// own Return-Path on the cf-bounce subdomain), so our signed bounce address never sees them; it
// publishes each message's lifecycle as an event subscription on a queue instead
// (developers.cloudflare.com/email-service/platform/event-subscriptions/): `cf.email.sending.
// message.delivered | deferred | bounced | failed | rejected | complained`, each with the
// `messageId` that `send()` returned (kept on our send row), the recipient and the SMTP reply.
// They become the same notices as a relay webhook's and go through the same classifier and rules.

import {
  addressOf,
  classifyFailure,
  dateOf,
  messageIdOf,
  type Notice,
  type Notices,
  type Verdict,
} from "./webhooks/notice";

const PREFIX = "cf.email.sending.message.";

interface EmailSendingEvent {
  type?: unknown;
  payload?: {
    eventId?: unknown;
    messageId?: unknown;
    recipient?: unknown;
    delivery?: { smtpStatusCode?: unknown; smtpEnhancedStatusCode?: unknown; smtpResponse?: unknown };
    bounce?: { type?: unknown; reason?: unknown };
    complaint?: { type?: unknown };
    rejection?: { reason?: unknown; detail?: unknown };
  };
  metadata?: { eventTimestamp?: unknown };
}

/**
 * Notices of a batch of events: bounces and complaints; deliveries, deferrals (still retrying),
 * internal failures and rejections other than suppression change nothing and are counted as ignored.
 */
export function emailServiceNotices(bodies: unknown[]): Notices {
  const items: Notice[] = [];
  let ignored = 0;
  for (const body of bodies) {
    const notice = noticeOf(body as EmailSendingEvent);
    if (notice) items.push(notice);
    else ignored++;
  }
  return { items, ignored };
}

function noticeOf(e: EmailSendingEvent): Notice | null {
  const kind = typeof e?.type === "string" && e.type.startsWith(PREFIX) ? e.type.slice(PREFIX.length) : "";
  const p = e?.payload;
  const email = addressOf(p?.recipient);
  const messageId = messageIdOf(p?.messageId);
  const eventId = typeof p?.eventId === "string" ? p.eventId.slice(0, 200) : "";
  if (!p || !email || !messageId || !eventId) return null;
  const base = {
    email,
    dedupeKey: `cloudflare:${eventId}:${email}`,
    // Cloudflare's id is matched against the send's message_id; never by address alone.
    match: { bounceAddresses: [], messageIds: [messageId], byEmail: false },
    ...(dateOf(e.metadata?.eventTimestamp) ? { occurredAt: dateOf(e.metadata?.eventTimestamp) } : {}),
  };
  if (kind === "complained") {
    const type = typeof p.complaint?.type === "string" ? p.complaint.type : "abuse";
    return { ...base, kind: "complaint", feedbackType: type.slice(0, 50) };
  }
  const verdict = verdictOf(kind, p);
  if (!verdict) return null;
  const d = p.delivery ?? {};
  const text = String(d.smtpResponse ?? p.bounce?.reason ?? p.rejection?.detail ?? "");
  const code = Number.parseInt(String(d.smtpStatusCode ?? ""), 10);
  const enhanced = typeof d.smtpEnhancedStatusCode === "string" ? d.smtpEnhancedStatusCode : undefined;
  const c = classifyFailure(verdict, { ...(Number.isFinite(code) ? { code } : {}), enhanced, text });
  return { ...base, kind: "bounce", ...c, ...(text ? { diagnostic: text.slice(0, 1000) } : {}) };
}

/** What an event says about the address; null when it says nothing against it. */
function verdictOf(kind: string, p: NonNullable<EmailSendingEvent["payload"]>): Verdict | null {
  if (kind === "bounced") return p.bounce?.type === "soft" ? "soft" : "permanent";
  // Refused before delivery because the recipient is on Cloudflare's suppression list: it bounced
  // or complained before, through this account.
  if (kind === "rejected" && p.rejection?.reason === "suppressed") return "hard";
  return null;
}
