// The per-recipient facts a delivery notice gives: the machine-readable report where there is
// one, completed by the notice's own words the way the MTA that wrote it lays them out.

import { type DsnRecipient, inlineReport, parseDeliveryStatus } from "./dsn";
import { extractAddress, first, type HeaderMap } from "./headers";
import type { Notice } from "./mime";
import { detectFlavor, EXPLAINED_ABOVE, type Flavor, TEXT_FIRST } from "./mta-flavor";
import { formatHint } from "./mta-hints";
import {
  AUTOMATED_SENDER,
  BOUNCE_SUBJECT,
  type Envelope,
  ownAddresses,
  textNoticeTrusted,
} from "./notice-kind";
import { findCommand } from "./notice-text";
import type { RawRecipient } from "./outcome";
import { findReplyCode, findStatus } from "./status";
import { parseTextNotice, substantive, type TextRecipient, tidy } from "./text-bounces";

const MAX_RECIPIENTS = 100;

// Lines of the notice's text that are MIME or MTA decoration rather than words about a failure.
const LEAD_SKIP =
  /^(?:Content-|This is a MIME|This is a multi|This is an auto|This multi-part|###|\*\*\*|--)/;

/** The notice's text as one line, the way a report's diagnostic is read together with it. */
function leadText(body: string): string {
  // An inlined report ends the notice's own words.
  const report = body.search(/^(?:Reporting-MTA|Received-From-MTA|Arrival-Date|Final-Recipient)\s*:/im);
  const kept = (report >= 0 ? body.slice(0, report) : body)
    .split("\n")
    .filter((l) => l.trim() && !LEAD_SKIP.test(l.trim()) && !/--- (The follow|Transcript)/.test(l));
  return tidy(kept.join(" "));
}

function raw(email: string, diagnostic: string, reportingMta: string): RawRecipient {
  return {
    email,
    status: "",
    diagnostic,
    diagnosticType: "",
    action: "",
    replyCode: "",
    command: "",
    hint: "",
    remoteMta: "",
    reportingMta,
  };
}

/** Completes a report's entry with the notice's words about the same recipient. */
function withText(
  d: DsnRecipient,
  t: TextRecipient | undefined,
  flavor: Flavor,
  body: string,
  single: boolean,
): RawRecipient {
  const r = { ...raw(d.email, d.diagnostic, ""), status: d.status, action: d.action, remoteMta: d.remoteMta };
  r.diagnosticType = d.diagnosticType;
  r.original = d.original;
  if (flavor === "sendmail") {
    // Sendmail's transcript carries the remote server's replies ("<<< 550 ..."): read them first.
    const replies = [
      ...new Set(
        body
          .split("\n")
          .filter((l) => l.startsWith("<<< "))
          .map((l) => l.slice(4).trim()),
      ),
    ];
    // With several recipients the replies cannot be told apart: each keeps its own report.
    if (replies.length > 0 && single) r.diagnostic = `${replies.join(" ")} ${r.diagnostic}`;
    if (!r.diagnostic && t) r.diagnostic = t.diagnostic;
    r.command = findCommand(body.split("\n").find((l) => l.startsWith(">>> ")) ?? "");
    // Replies with no command sent before them: the server refused the session at its greeting.
    if (!r.command && replies.length > 0) r.command = findCommand(r.diagnostic) || "EHLO";
    return r;
  }
  if (!t?.diagnostic) return r;
  r.command = findCommand(t.diagnostic);
  if (!r.diagnostic) {
    r.diagnostic = t.diagnostic;
    return r;
  }
  // The notice's words often carry the full remote reply where the report has a summary.
  const textStatus = findStatus(t.diagnostic);
  const textReply = findReplyCode(t.diagnostic);
  if ((!r.status || r.status.endsWith(".0.0")) && textStatus && !textStatus.endsWith(".0.0")) {
    r.status = textStatus;
  }
  if (textReply && !textReply.endsWith("00")) r.replyCode = textReply;
  if (
    (textStatus || textReply) &&
    t.diagnostic.length >= r.diagnostic.length &&
    t.diagnostic.includes(r.diagnostic)
  ) {
    r.diagnostic = t.diagnostic;
  }
  return r;
}

/**
 * Recipients of a notice that names none: the returned message's To, when the notice comes from
 * a mail system and its subject and words say it could not deliver (old Sendmail, Google).
 */
function returnedTo(notice: Notice, body: string, original: HeaderMap | undefined): string {
  if (!original || !AUTOMATED_SENDER.test(first(notice.headers, "from"))) return "";
  if (!BOUNCE_SUBJECT.test(notice.subject) || !textNoticeTrusted(notice, body)) return "";
  return first(original, "to");
}

interface FromReport {
  recipients: RawRecipient[];
  originalMessageId: string;
}

function fromReport(notice: Notice, body: string, texts: TextRecipient[], flavor: Flavor): FromReport {
  const listed = first(notice.headers, "x-failed-recipients")
    .split(",")
    .map((a) => extractAddress(a));
  const report = parseDeliveryStatus(notice.reports.join("\n\n") || inlineReport(notice.text));
  const single = report.recipients.length === 1;
  // A notice from an MTA this classifier knows lays its words out per recipient; any other is
  // read as a whole together with the report, as RFC 3464 leaves the human part free-form.
  const lead = single && (!flavor || EXPLAINED_ABOVE.has(flavor)) ? leadText(body) : "";
  const recipients = report.recipients.slice(0, MAX_RECIPIENTS).map((d, i) => {
    // A report naming a file or program instead of an address: the notice's words name the address.
    if (!d.email) d.email = texts[i]?.email || listed[i] || "";
    const t = texts.find(
      (x) => x.email === d.email || (d.alias && x.email === d.alias) || x.alias === d.email,
    );
    const r = withText(d, t ?? (single && texts.length === 1 ? texts[0] : undefined), flavor, body, single);
    r.reportingMta = report.reportingMta;
    r.hint = d.category;
    if (!r.email) return r;
    if (lead) {
      const contained = lead.toLowerCase().includes(r.diagnostic.toLowerCase());
      r.diagnostic = contained ? lead : `${lead} ${r.diagnostic}`;
    }
    return r;
  });
  return { recipients: recipients.filter((r) => r.email), originalMessageId: report.originalMessageId };
}

/** A mailing list manager's notice: each <address> it names, with its subject and the text from there on. */
function listNotice(subject: string, body: string): TextRecipient[] {
  const lines = body.split("\n");
  const out: TextRecipient[] = [];
  lines.forEach((line, i) => {
    const email = /<([^\s<>]+@[^\s<>]+)>/.exec(line)?.[1];
    if (email && !out.some((t) => t.email === email.toLowerCase())) {
      const diagnostic = tidy(`${subject} ${lines.slice(i).join(" ")}`);
      out.push({ email: extractAddress(email), alias: "", diagnostic });
    }
  });
  return out.filter((t) => t.email);
}

/** The recipients a delivery notice reports on, with everything it says about each. */
export function collectRecipients(
  notice: Notice,
  body: string,
  original: HeaderMap | undefined,
  envelope: Envelope | undefined,
): { recipients: RawRecipient[]; originalMessageId: string } {
  const flavor = detectFlavor(notice);
  let texts = parseTextNotice(body, ownAddresses(notice.headers, original, envelope));
  // Anonymised or self-addressed notices can name their own addressee as the failed recipient.
  if (texts.length === 0) texts = parseTextNotice(body, new Set());

  if (flavor === "fml") texts = listNotice(notice.subject, body);
  if (flavor === "googlegroups") {
    // Google Groups names the group in X-Failed-Recipients; the text greets the poster.
    const diagnostic = tidy(body.replace(/\n\s*\*/g, " * "));
    texts = first(notice.headers, "x-failed-recipients")
      .split(",")
      .map((a) => ({ email: extractAddress(a), alias: "", diagnostic }))
      .filter((t) => t.email);
  }
  const explained = texts.some((t) => substantive(t.diagnostic));
  const reported = fromReport(notice, body, texts, flavor);
  let recipients = TEXT_FIRST.has(flavor) && explained ? [] : reported.recipients;
  if (recipients.length === 0 && explained && (flavor === "fml" || textNoticeTrusted(notice, body))) {
    const above = EXPLAINED_ABOVE.has(flavor) && texts.length === 1 ? `${leadText(body)} ` : "";
    recipients = texts.slice(0, MAX_RECIPIENTS).map((t) => raw(t.email, above + t.diagnostic, ""));
  }
  if (recipients.length === 0) {
    const listed = first(notice.headers, "x-failed-recipients") || returnedTo(notice, body, original);
    recipients = listed
      .split(",")
      .map((a) => extractAddress(a))
      .filter(Boolean)
      .slice(0, MAX_RECIPIENTS)
      .map((email) => raw(email, tidy(body), ""));
  }
  for (const r of recipients) {
    const hint = formatHint(flavor, r.diagnostic);
    r.hint ||= hint.reason;
    r.command ||= hint.command;
    r.temporary = hint.temporary;
  }
  return { recipients: recipients.filter((r) => r.email), originalMessageId: reported.originalMessageId };
}
