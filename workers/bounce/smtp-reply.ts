// One SMTP reply, as a relay reports it at send time or in a webhook, classified like a bounce.

import { includedIn } from "./reason-patterns";
import { findReason, isHard } from "./reasons";
import {
  classOf,
  findReplyCode,
  findStatus,
  isReplyCode,
  isStatus,
  looksTemporary,
  preferStatus,
} from "./status";
import type { SmtpReplyClass } from "./types";

/** Classifies a reply code, enhanced status code and reply text. */
export function classifyReply(input: { code?: number; enhanced?: string; text?: string }): SmtpReplyClass {
  const text = (input.text ?? "").replace(/\s+/g, " ").trim().slice(0, 4000);
  const code = input.code !== undefined && Number.isInteger(input.code) ? String(input.code) : "";
  const enhanced = (input.enhanced ?? "").trim();
  const replyCode = isReplyCode(code) ? code : findReplyCode(text);
  const inText = findStatus(text, replyCode);
  let status = preferStatus(isStatus(enhanced) ? enhanced : "", inText, replyCode);
  const diagnostic = [replyCode, status, text].filter(Boolean).join(" ");
  const lower = diagnostic.toLowerCase();
  const reason = findReason({
    status,
    diagnostic,
    diagnosticType: "SMTP",
    // At send time a "no such user" answer can only come at RCPT TO.
    command: includedIn("userunknown", lower) ? "RCPT" : "",
    replyCode,
    action: "",
    hint: "",
    remoteHost: "",
    localHost: "",
    recipient: "",
  });
  const temporary =
    classOf(status) === "4" || classOf(replyCode) === "4" || (!classOf(status) && looksTemporary(diagnostic));
  if (!status && (classOf(replyCode) || text)) status = `${temporary ? "4" : "5"}.0.0`;
  return { status, hard: isHard(reason, status, diagnostic), reason, temporary };
}
