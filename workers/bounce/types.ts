// The classifier's public result types.

export type BounceKind = "bounce" | "complaint" | "not-bounce";

export interface BounceRecipient {
  /** Lower-cased address; "" if the notice names none. */
  email: string;
  /** RFC 3463 code such as "5.1.1"; "" when unknown (complaints, auto-replies). */
  status: string;
  /** The address itself is bad: suppress it at once. */
  hard: boolean;
  /** sisimai-style reason: userunknown, mailboxfull, hostunknown, filtered, blocked, ... */
  reason: string;
  replyCode?: string;
  /** failed | delayed | delivered | relayed | expanded */
  action?: string;
  /** The diagnostic text, trimmed to about 500 characters. */
  diagnostic?: string;
  /** Complaints: abuse, opt-out, auth-failure, fraud, virus, not-spam, other. */
  feedbackType?: string;
}

export interface Classification {
  kind: BounceKind;
  recipients: BounceRecipient[];
  /** Message-ID of the message that bounced or was complained about (without angle brackets). */
  originalMessageId?: string;
  /** Every address the notice was delivered to (To, Delivered-To, X-Original-To, envelope). */
  deliveredTo: string[];
  /** Headers of the original message when included, lower-cased names. */
  originalHeaders?: Record<string, string>;
}

export interface SmtpReplyClass {
  status: string;
  hard: boolean;
  reason: string;
  temporary: boolean;
}
