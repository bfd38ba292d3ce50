// From the raw facts a notice gives about one recipient to the reported result: the status code
// to believe, the reply code, the reason and whether the bounce is hard.

import { findCommand } from "./notice-text";
import { findReason, isHard } from "./reasons";
import { classOf, findReplyCode, findStatus, looksTemporary, preferStatus } from "./status";
import type { BounceRecipient } from "./types";

/** What a parser collected about one recipient. */
export interface RawRecipient {
  email: string;
  /** The address the sender wrote (DSN Original-Recipient) when mail was forwarded on. */
  original?: string;
  status: string;
  diagnostic: string;
  diagnosticType: string;
  action: string;
  replyCode: string;
  command: string;
  /** A reason the format itself determines, "" if none. */
  hint: string;
  remoteMta: string;
  reportingMta: string;
  /** The format reports the failure as temporary when the notice gives no code. */
  temporary?: boolean;
}

/** Longest diagnostic read: the words that matter come first, and patterns scan all of it. */
const DIAGNOSTIC_LIMIT = 8000;

/** Collapses whitespace and drops embedded HTML from a diagnostic. */
function sweep(text: string): string {
  return text
    .slice(0, DIAGNOSTIC_LIMIT)
    .replace(/<html>[\s\S]*?<\/html>/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Rewrites a multi-line reply ("550-5.7.1 Our system ... 550-5.7.1 blocked. 550 5.7.1 See ...")
 * as one sentence led by its codes, so wording split across lines matches as a whole.
 */
function joinReplyLines(text: string, reply: string, status: string): string {
  if (!reply || !text.includes(`${reply}-`)) return text;
  let out = text;
  for (const sep of ["-", " "]) {
    if (status) out = out.split(`${reply}${sep}${status}`).join("");
    out = out.split(`${reply}${sep}`).join("");
  }
  return out.includes(reply) ? out : `${reply} ${status} ${out}`.replace(/\s+/g, " ").trim();
}

/** The reported result for one recipient of a bounce. */
export function finishRecipient(raw: RawRecipient): BounceRecipient {
  let diagnostic = sweep(raw.diagnostic);
  const inText = findStatus(diagnostic);
  const reply = findReplyCode(diagnostic, inText);
  let status = preferStatus(raw.status, inText, reply);
  let replyCode = raw.replyCode || reply;
  diagnostic = joinReplyLines(diagnostic, reply, inText);

  const reason = findReason({
    status,
    diagnostic,
    diagnosticType: raw.diagnosticType || "SMTP",
    command: raw.command || findCommand(diagnostic),
    replyCode,
    action: raw.action,
    hint: raw.hint,
    remoteHost: raw.remoteMta,
    localHost: raw.reportingMta,
    recipient: raw.email,
  });
  const hard = reason === "delivered" ? false : isHard(reason, status, diagnostic);

  if (!status && reason !== "vacation") {
    // The notice gave no code: the class says at least whether the failure is worth retrying.
    status = `${raw.temporary || looksTemporary(`${replyCode} ${diagnostic}`) ? "4" : "5"}.0.0`;
  }
  if (replyCode && status && classOf(replyCode) !== classOf(status)) {
    const again = findReplyCode(diagnostic, classOf(status));
    replyCode = again.startsWith(classOf(status)) ? again : "";
  }
  let action = raw.action;
  if (reason === "delivered") action = "delivered";
  else if (reason === "expired") action = "delayed";
  else if (!action && (status.startsWith("4") || status.startsWith("5"))) action = "failed";

  // The address the campaign was sent to is the one to suppress, not where it was forwarded.
  const out: BounceRecipient = { email: raw.original || raw.email, status, hard, reason };
  if (replyCode) out.replyCode = replyCode;
  if (action) out.action = action;
  if (diagnostic) out.diagnostic = diagnostic.slice(0, 500);
  return out;
}
