// What every provider module turns its notification into, and the helpers they share: the
// freshness window, the error for a refused request, and turning a provider's verdict plus its
// SMTP details into hard/soft, status and reason through the one classifier.

import { classifySmtpReply } from "../../bounce/classify";
import { AppError } from "../../lib/errors";

/** How to find our send: a signed bounce address, our Message-ID, or (last) the latest send to the address. */
export interface MatchKey {
  bounceAddresses: string[];
  messageIds: string[];
  /** Fall back to the most recent send to this address when nothing else matches. */
  byEmail: boolean;
}

interface NoticeBase {
  /** Lower-cased recipient address. */
  email: string;
  /** Unique per provider notification and recipient, so a retried notification changes nothing. */
  dedupeKey: string;
  occurredAt?: Date;
  match: MatchKey;
}

export interface BounceNotice extends NoticeBase {
  kind: "bounce";
  hard: boolean;
  status: string;
  reason: string;
  diagnostic?: string;
}

export interface ComplaintNotice extends NoticeBase {
  kind: "complaint";
  feedbackType: string;
}

export type Notice = BounceNotice | ComplaintNotice;

/** A verified notification: its bounces and complaints, and how many events it carried that change nothing. */
export interface Notices {
  items: Notice[];
  ignored: number;
  /** SNS only: the subscription was confirmed. */
  subscribed?: boolean;
  /**
   * Mailgun only: its signature covers a timestamp and a one-time token, not the event data, so
   * the request is accepted once per token (see recordNotices); the key names that token.
   */
  replayKey?: string;
}

/**
 * What the provider says about a failure:
 * - `hard`: the address is bad (its own suppression list says so), whatever the status;
 * - `permanent`: the provider gave up for good; hard unless the status is a 4.x.x one;
 * - `soft`: a final failure that says nothing against the address (mailbox full, blocked);
 * - `classify`: the provider does not say; the classifier decides from the status and text.
 */
export type Verdict = "hard" | "permanent" | "soft" | "classify";

/** Hard/soft, RFC 3463 status and reason of one failed recipient, through the shared classifier. */
export function classifyFailure(
  verdict: Verdict,
  reply: { code?: number; enhanced?: string; text?: string },
  fallbackReason = "",
): { hard: boolean; status: string; reason: string } {
  const code = reply.code !== undefined && reply.code >= 200 && reply.code < 600 ? reply.code : undefined;
  const c = classifySmtpReply({ ...reply, code });
  const hard =
    verdict === "hard" ? true : verdict === "permanent" ? !c.temporary : verdict === "soft" ? false : c.hard;
  const status = c.status || (hard ? "5.0.0" : "");
  const reason = c.reason && c.reason !== "undefined" ? c.reason : fallbackReason || "undefined";
  return { hard, status, reason };
}

/** Notifications signed more than this long ago (or ahead) are refused: a captured request cannot be replayed later. */
export const MAX_AGE_SECONDS = 600;

/** How long a one-time token is remembered: a timestamp is fresh for MAX_AGE_SECONDS either side of now. */
export const REPLAY_WINDOW_SECONDS = 2 * MAX_AGE_SECONDS;

/** Whether a Unix time in seconds is within MAX_AGE_SECONDS of now. */
export function isFresh(seconds: number, now = Date.now()): boolean {
  return Number.isFinite(seconds) && Math.abs(now / 1000 - seconds) <= MAX_AGE_SECONDS;
}

/** The 401 for a missing, wrong or stale signature or credential. */
export const refused = (message = "Invalid webhook signature") => new AppError("unauthorized", message);

/** The 400 for a verified request whose body is not the provider's format. */
export const malformed = (message = "Unrecognised webhook payload") => new AppError("bad_request", message);

/** A lower-cased address, or "" when the value is not one. */
export function addressOf(value: unknown): string {
  if (typeof value !== "string") return "";
  const a = value.trim().replace(/^<|>$/g, "").toLowerCase();
  return a.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(a) ? a : "";
}

/** A Message-ID without angle brackets or surrounding space, or "" when there is none. */
export function messageIdOf(value: unknown): string {
  if (typeof value !== "string") return "";
  const id = value.trim().replace(/^<|>$/g, "").trim();
  return id.length > 0 && id.length <= 998 ? id : "";
}

/** A date from an ISO string or Unix seconds; undefined when unreadable. */
export function dateOf(value: unknown): Date | undefined {
  const d =
    typeof value === "number" ? new Date(value * 1000) : typeof value === "string" ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

/** Parses JSON, answering 400 (not 500) for a verified body that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformed("The webhook body is not JSON");
  }
}
