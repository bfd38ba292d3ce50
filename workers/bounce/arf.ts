// Complaint reports: RFC 5965 feedback reports (ARF) and the provider notices that stand in for
// one (Apple Mail's unsubscribe message, Microsoft's JMRP and Amazon SES complaint forwards).

import { extractAddress, first, type HeaderMap, parseHeaderBlock } from "./headers";
import type { Notice } from "./mime";

export interface FeedbackReport {
  feedbackType: string;
  /** Original-Rcpt-To / Removal-Recipient addresses, in order. */
  recipients: string[];
  originalMailFrom: string;
  sourceIp: string;
}

const FEEDBACK_TYPES = new Set(["abuse", "fraud", "virus", "other", "not-spam", "auth-failure", "opt-out"]);
// Senders of complaint notices that are not ARF but carry the complained-about message.
const COMPLAINT_SENDERS = ["staff@hotmail.com", "complaints@email-abuse.amazonses.com"];

/** Reads the fields of a message/feedback-report part. */
export function parseFeedbackReport(text: string): FeedbackReport {
  const out: FeedbackReport = { feedbackType: "", recipients: [], originalMailFrom: "", sourceIp: "" };
  for (const line of text.slice(0, 64 * 1024).split("\n")) {
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const name = (m[1] ?? "").toLowerCase();
    const value = (m[2] ?? "").trim();
    if (name === "feedback-type") out.feedbackType ||= value.toLowerCase().split(/[\s;]/)[0] ?? "";
    else if (name === "original-rcpt-to" || name === "removal-recipient") {
      const a = extractAddress(value);
      if (a && out.recipients[out.recipients.length - 1] !== a) out.recipients.push(a);
    } else if (name === "original-mail-from") out.originalMailFrom ||= extractAddress(value);
    else if (name === "source-ip") out.sourceIp ||= value;
  }
  if (out.feedbackType && !FEEDBACK_TYPES.has(out.feedbackType)) out.feedbackType = "other";
  return out;
}

/** True when the notice is a complaint: an ARF report or a provider's own complaint notice. */
export function isComplaint(notice: Notice): boolean {
  if (notice.feedback.length > 0) return true;
  if (/report-type\s*=\s*"?feedback-report/.test(notice.contentType)) return true;
  if (first(notice.headers, "x-apple-unsubscribe").toLowerCase() === "true") return true;
  const from = first(notice.headers, "from").toLowerCase();
  return (
    notice.subject.toLowerCase().includes("complaint about message from ") &&
    COMPLAINT_SENDERS.some((s) => from.includes(s))
  );
}

/** The complaint's feedback report, with recipients taken from the original message when absent. */
export function readComplaint(notice: Notice, original: HeaderMap | undefined): FeedbackReport {
  const report = parseFeedbackReport(notice.feedback.join("\n") || inlineFields(notice.text));
  if (first(notice.headers, "x-apple-unsubscribe").toLowerCase() === "true") {
    report.feedbackType ||= "opt-out";
    if (report.recipients.length === 0) {
      const from = extractAddress(first(notice.headers, "from"));
      if (from) report.recipients.push(from);
    }
  }
  report.feedbackType ||= "abuse";
  if (report.recipients.length === 0 && original) {
    const to = extractAddress(first(original, "to"));
    report.recipients.push(to);
  }
  if (report.recipients.length === 0) report.recipients.push("");
  return report;
}

// Feedback fields written into the text of a report that lacks a separate part.
function inlineFields(text: string): string {
  const at = text.search(/^Feedback-Type\s*:/im);
  return at >= 0 ? text.slice(at, at + 8192) : "";
}

/** The original message's headers in a complaint or bounce, when it carries them. */
export function originalHeaders(originals: string[]): HeaderMap | undefined {
  for (const raw of originals) {
    const map = parseHeaderBlock(raw);
    if (map.size > 0) return map;
  }
  return undefined;
}
