import { SmtpError, type SmtpFailure, type SmtpStep } from "./errors";
import { describeReply, type SmtpReply } from "./reply";

/** One message for the envelope: `raw` is the RFC 5322 text (dot-stuffing is done here). */
export interface OutgoingMessage {
  /** Envelope sender (Return-Path); "" for the null sender. */
  from: string;
  to: string[];
  raw: string | Uint8Array;
}

/** What the server said about one recipient (the DATA reply when the RCPT was accepted). */
export interface RecipientResult {
  recipient: string;
  accepted: boolean;
  code?: number;
  enhanced?: string;
  message: string;
}

/** The outcome of one message: accepted for at least one recipient, or the failure. */
export interface MessageResult {
  accepted: boolean;
  recipients: RecipientResult[];
  /** The server's final reply text when accepted (often carries its queue id). */
  response?: string;
  error?: SmtpFailure;
  /**
   * True when the message was held back before its end of data (the sender's commit check said
   * no): the server never took responsibility for it, so it may be sent again without a duplicate.
   */
  withheld?: boolean;
}

export function toFailure(err: unknown, step: SmtpStep): SmtpFailure {
  if (err instanceof SmtpError) return err.toJSON();
  return { step, temporary: true, message: err instanceof Error ? err.message : String(err) };
}

export function failureOf(step: SmtpStep, reply: SmtpReply): SmtpFailure {
  const failure: SmtpFailure = {
    step,
    temporary: reply.code >= 400 && reply.code < 500,
    code: reply.code,
    message: describeReply(reply),
  };
  if (reply.enhanced) failure.enhanced = reply.enhanced;
  return failure;
}

export function recipientResult(recipient: string, reply: SmtpReply): RecipientResult {
  const result: RecipientResult = {
    recipient,
    accepted: reply.code === 250 || reply.code === 251,
    code: reply.code,
    message: describeReply(reply),
  };
  if (reply.enhanced) result.enhanced = reply.enhanced;
  return result;
}

export function failed(message: OutgoingMessage, failure: SmtpFailure): MessageResult {
  const recipients = message.to.map((recipient) => {
    const r: RecipientResult = { recipient, accepted: false, message: failure.message };
    if (failure.code !== undefined) r.code = failure.code;
    if (failure.enhanced !== undefined) r.enhanced = failure.enhanced;
    return r;
  });
  return { accepted: false, recipients, error: failure };
}

/** The DATA phase failed: every recipient the server had accepted now shares that failure. */
export function rejectAll(recipients: RecipientResult[], failure: SmtpFailure): MessageResult {
  const updated = recipients.map((r) => {
    if (!r.accepted) return r;
    const out: RecipientResult = { recipient: r.recipient, accepted: false, message: failure.message };
    if (failure.code !== undefined) out.code = failure.code;
    if (failure.enhanced !== undefined) out.enhanced = failure.enhanced;
    return out;
  });
  return { accepted: false, recipients: updated, error: failure };
}
