// RFC 3464 delivery status fields, read from a message/delivery-status part or from the same
// fields inlined in a plain-text notice.

import { extractAddress, messageIdOf } from "./headers";

/** One per-recipient group of a delivery status report. */
export interface DsnRecipient {
  email: string;
  /** Original-Recipient or X-Actual-Recipient. */
  alias: string;
  /** Original-Recipient alone: the address the sender wrote, before any forwarding. */
  original: string;
  action: string;
  status: string;
  diagnostic: string;
  /** Diagnostic-Code type, upper-cased: SMTP, X-UNIX, ... */
  diagnosticType: string;
  remoteMta: string;
  /** A reason the reporting MTA states outright (PowerMTA's X-PowerMTA-BounceCategory). */
  category: string;
}

export interface DsnReport {
  reportingMta: string;
  originalMessageId: string;
  recipients: DsnRecipient[];
}

// PowerMTA's bounce categories and the reasons they stand for.
const POWERMTA_CATEGORIES: Record<string, string> = {
  "bad-domain": "hostunknown",
  "bad-mailbox": "userunknown",
  "inactive-mailbox": "suspend",
  "message-expired": "expired",
  "no-answer-from-host": "networkerror",
  "policy-related": "policyviolation",
  "quota-issues": "mailboxfull",
  "routing-errors": "systemerror",
  "spam-related": "spamdetected",
};
const ACTIONS = new Set(["failed", "delayed", "delivered", "relayed", "expanded"]);
const ACTION_FIXES: Record<string, string> = {
  deliverable: "delivered",
  expired: "delayed",
  failure: "failed",
};
const FIELD = /^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;
/** Per-recipient groups beyond this many are ignored: no real report lists more. */
const MAX_RECIPIENTS = 500;

function emptyRecipient(): DsnRecipient {
  return {
    email: "",
    alias: "",
    original: "",
    action: "",
    status: "",
    diagnostic: "",
    diagnosticType: "",
    remoteMta: "",
    category: "",
  };
}

function hasContent(r: DsnRecipient): boolean {
  return Boolean(r.email || r.alias || r.status || r.action || r.diagnostic);
}

/** Splits "type; value" as RFC 3464 writes address, host and diagnostic fields. */
function typed(value: string): [string, string] {
  const semi = value.indexOf(";");
  if (semi < 0 || semi > 20) return ["", value.trim()];
  return [value.slice(0, semi).trim().toUpperCase(), value.slice(semi + 1).trim()];
}

/** Splits a trailing "(comment)" off a field value. */
function comment(value: string): [string, string] {
  const m = /^(.*?)\s+\(([^()]*)\)\s*$/.exec(value);
  return m ? [m[1] ?? "", m[2] ?? ""] : [value, ""];
}

/** Unfolds continuation lines onto the field they continue. */
function unfold(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (/^[ \t]+\S/.test(line) && out.length > 0 && out[out.length - 1] !== "") {
      out[out.length - 1] += ` ${line.trim()}`;
    } else {
      out.push(line.trimEnd());
    }
  }
  return out;
}

/** Reads the per-message and per-recipient fields of a delivery status report. */
export function parseDeliveryStatus(text: string): DsnReport {
  const report: DsnReport = { reportingMta: "", originalMessageId: "", recipients: [] };
  let cur = emptyRecipient();
  const push = () => {
    if (hasContent(cur) && report.recipients.length < MAX_RECIPIENTS) report.recipients.push(cur);
    cur = emptyRecipient();
  };
  // A group is named once its Final-Recipient has been read, even when it names no address.
  let named = false;
  for (const line of unfold(text.slice(0, 256 * 1024))) {
    if (line.trim() === "") {
      // A blank line ends a per-recipient group, but some MTAs put one inside a group.
      if (named && (cur.status || cur.action || cur.diagnostic)) {
        push();
        named = false;
      }
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) continue;
    const name = (m[1] ?? "").toLowerCase();
    const value = (m[2] ?? "").trim();
    switch (name) {
      case "reporting-mta":
        report.reportingMta ||= typed(value)[1].toLowerCase();
        break;
      case "x-original-message-id":
        report.originalMessageId ||= messageIdOf(value);
        break;
      case "final-recipient": {
        const email = extractAddress(typed(value)[1]);
        const last = report.recipients[report.recipients.length - 1];
        // Some MTAs repeat the group for one recipient; one entry is enough.
        if (email && !cur.email && last?.email === email && !cur.status) break;
        if (named) push();
        cur.email = email;
        named = true;
        break;
      }
      default:
        readRecipientField(cur, name, value);
    }
  }
  push();
  for (const r of report.recipients) {
    if (!r.email && r.alias) r.email = r.alias;
  }
  // Groups naming no address (a file or a program) are kept: the notice's text may name one.
  report.recipients = report.recipients.filter((r) => r.email || r.status || r.action);
  return report;
}

/** A per-recipient field other than Final-Recipient, into the group being read. */
function readRecipientField(cur: DsnRecipient, name: string, value: string): void {
  switch (name) {
    case "original-recipient":
      cur.original ||= extractAddress(typed(value)[1]);
      cur.alias ||= cur.original;
      break;
    case "x-actual-recipient":
      cur.alias ||= extractAddress(typed(value)[1]);
      break;
    case "action": {
      const v = comment(value)[0].toLowerCase().trim();
      cur.action = ACTIONS.has(v) ? v : (ACTION_FIXES[v] ?? cur.action);
      break;
    }
    case "status": {
      const [v, note] = comment(value);
      cur.status = /[245]\.\d{1,3}\.\d{1,3}/.exec(v)?.[0] ?? cur.status;
      if (note) cur.diagnostic = `${cur.diagnostic} ${note}`.trim();
      break;
    }
    case "remote-mta":
      cur.remoteMta ||= comment(typed(value)[1])[0].toLowerCase();
      break;
    case "x-powermta-bouncecategory":
      cur.category ||= POWERMTA_CATEGORIES[value.toLowerCase()] ?? "";
      break;
    case "diagnostic-code": {
      const [type, diag] = typed(value);
      cur.diagnosticType ||= type === "X-POSTFIX" || type === "" ? "SMTP" : type;
      cur.diagnostic = `${cur.diagnostic} ${diag}`.trim();
      break;
    }
  }
}

// Lines that start the returned message or the next MIME part after an inlined report.
const INLINE_END =
  /^(?:--|Content-Type:|Return-Path:|Received:|DKIM-Signature:|Message-I[Dd]:|From:|Subject:)/i;

/** The RFC 3464 fields of a plain-text notice that inlines them, "" when it does not. */
export function inlineReport(text: string): string {
  const start = /^(?:Reporting-MTA|Final-Recipient|Original-Recipient)[ \t]*:/im.exec(
    text.slice(0, 128 * 1024),
  );
  if (!start) return "";
  const rest = text.slice(start.index).split("\n");
  const kept: string[] = [];
  for (const line of rest) {
    if (kept.length > 0 && INLINE_END.test(line)) break;
    kept.push(line);
  }
  return kept.join("\n");
}
