// Entry point of the bounce and complaint classifier: decides what kind of message arrived at
// the bounce address and what it says about each recipient.

import { parseSesNotification, type SesNotification } from "./amazon-ses";
import { isComplaint, originalHeaders, readComplaint } from "./arf";
import { autoReplySender, isAutoReply } from "./auto-reply";
import { extractAddress, first, type HeaderMap, messageIdOf } from "./headers";
import { collectRecipients } from "./merge";
import { type Notice, readNotice } from "./mime";
import { type Envelope, isDeliveryNotice } from "./notice-kind";
import { returnedHeaders, splitNotice } from "./notice-text";
import { finishRecipient } from "./outcome";
import { classifyReply } from "./smtp-reply";
import type { BounceRecipient, Classification, SmtpReplyClass } from "./types";

export type { BounceKind, BounceRecipient, Classification, SmtpReplyClass } from "./types";

const MAX_ORIGINAL_HEADERS = 100;

function headerRecord(map: HeaderMap | undefined): Record<string, string> | undefined {
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [name, values] of [...map.entries()].slice(0, MAX_ORIGINAL_HEADERS)) {
    out[name] = (values[0] ?? "").slice(0, 1000);
  }
  return out;
}

function deliveredTo(headers: HeaderMap, envelope: Envelope | undefined): string[] {
  const out = new Set<string>();
  for (const name of ["to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to"]) {
    for (const value of headers.get(name) ?? []) {
      for (const part of value.split(",")) {
        const a = extractAddress(part);
        if (a) out.add(a);
      }
    }
  }
  const env = extractAddress(envelope?.to ?? "");
  if (env) out.add(env);
  return [...out];
}

/** Classifies a raw RFC 5322 message received at the bounce address; never throws. */
export async function classifyMessage(
  raw: string | Uint8Array | ArrayBuffer,
  envelope?: Envelope,
): Promise<Classification> {
  try {
    return await classify(raw, envelope);
  } catch {
    return { kind: "not-bounce", recipients: [], deliveredTo: [] };
  }
}

// A forwarded notice quotes the original with "> ": unquote it so it reads like the original.
function unquoteForward(notice: Notice): void {
  if (!/^\s*fwd?\s*:/i.test(notice.subject)) return;
  notice.text = notice.text.replace(/^[ \t]*>[ \t]?/gm, "");
}

function fromSes(ses: SesNotification, result: Classification): Classification {
  const c: Classification = { ...result, kind: ses.type === "complaint" ? "complaint" : "bounce" };
  c.recipients = ses.recipients.map((r) => {
    if (ses.type === "complaint") {
      return { email: r.email, status: "", hard: false, reason: "feedback", feedbackType: ses.feedbackType };
    }
    return finishRecipient({
      email: r.email,
      status: r.status,
      diagnostic: r.diagnostic,
      diagnosticType: "SMTP",
      action: r.action,
      replyCode: "",
      command: "",
      hint: ses.type === "delivery" ? "delivered" : "",
      remoteMta: "",
      reportingMta: "",
    });
  });
  const id = messageIdOf(ses.headers["message-id"] ?? "");
  if (id) c.originalMessageId = id;
  if (Object.keys(ses.headers).length > 0) c.originalHeaders = ses.headers;
  return c;
}

// A notice forwarded as an attachment is read in its own right, once: the attachment must look
// like a notice itself (a report, or a mail system's sender).
const ATTACHED_NOTICE =
  /^content-type:\s*multipart\/report|^from:.*(?:mailer-daemon|postmaster|mail delivery)/im;

async function attachedNotice(notice: Notice, envelope: Envelope | undefined, depth: number) {
  const attached = notice.originals[0];
  if (depth > 0 || !attached || !ATTACHED_NOTICE.test(attached.slice(0, 8192))) return undefined;
  const inner = await classify(attached, envelope, depth + 1);
  return inner.kind === "not-bounce" ? undefined : inner;
}

async function classify(
  raw: string | Uint8Array | ArrayBuffer,
  envelope?: Envelope,
  depth = 0,
): Promise<Classification> {
  const notice = await readNotice(raw);
  unquoteForward(notice);
  const split = splitNotice(notice.text);
  const inlineOriginal = returnedHeaders(split.returned);
  const original = originalHeaders(inlineOriginal ? [...notice.originals, inlineOriginal] : notice.originals);
  const result: Classification = {
    kind: "not-bounce",
    recipients: [],
    deliveredTo: deliveredTo(notice.headers, envelope),
  };

  if (/amazonaws\.com|amazonses\.com/i.test(first(notice.headers, "from"))) {
    const ses = parseSesNotification(notice.text);
    if (ses && ses.recipients.length > 0) return fromSes(ses, result);
  }
  if (isComplaint(notice)) return fromComplaint(notice, original, result);
  if (isDeliveryNotice(notice)) {
    const bounce = fromDeliveryNotice(notice, split.body, original, envelope, result);
    if (bounce) return bounce;
  }

  const inner = await attachedNotice(notice, envelope, depth);
  if (inner) return { ...inner, deliveredTo: result.deliveredTo };

  if (isAutoReply(notice)) {
    const email = autoReplySender(notice);
    const recipients: BounceRecipient[] = [{ email, status: "", hard: false, reason: "vacation" }];
    return withOriginal({ ...result, kind: "bounce", recipients }, original);
  }
  return result;
}

/** Adds the returned message's id and headers, when the notice includes them. */
function withOriginal(c: Classification, original: HeaderMap | undefined): Classification {
  const id = messageIdOf(first(original ?? new Map(), "message-id"));
  if (id) c.originalMessageId = id;
  const record = headerRecord(original);
  if (record) c.originalHeaders = record;
  return c;
}

/** A feedback (ARF) report: each complaining recipient with the feedback type. */
function fromComplaint(
  notice: Notice,
  original: HeaderMap | undefined,
  result: Classification,
): Classification {
  const report = readComplaint(notice, original);
  const recipients = report.recipients.map(
    (email): BounceRecipient => ({
      email,
      status: "",
      hard: false,
      reason: "feedback",
      feedbackType: report.feedbackType,
    }),
  );
  return withOriginal({ ...result, kind: "complaint", recipients }, original);
}

/** A delivery status notice's failed recipients, or undefined when it names none. */
function fromDeliveryNotice(
  notice: Notice,
  body: string,
  original: HeaderMap | undefined,
  envelope: Envelope | undefined,
  result: Classification,
): Classification | undefined {
  const collected = collectRecipients(notice, body, original, envelope);
  if (collected.recipients.length === 0) return undefined;
  const c = withOriginal(
    { ...result, kind: "bounce", recipients: collected.recipients.map(finishRecipient) },
    original,
  );
  if (!c.originalMessageId && collected.originalMessageId) c.originalMessageId = collected.originalMessageId;
  return c;
}

/** For SMTP replies at send time and relay webhooks: a reply code, enhanced status and text -> hard/soft, status, reason. */
export function classifySmtpReply(input: {
  code?: number;
  enhanced?: string;
  text?: string;
}): SmtpReplyClass {
  return classifyReply(input);
}
