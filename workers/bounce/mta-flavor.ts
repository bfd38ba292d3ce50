// Which MTA wrote a notice: each lays its notice out its own way, and some of them say more in
// their free text than in the delivery-status part they attach.

import { first } from "./headers";
import type { Notice } from "./mime";

export type Flavor =
  | "postfix"
  | "sendmail"
  | "exim"
  | "qmail"
  | "gmail"
  | "courier"
  | "opensmtpd"
  | "dragonfly"
  | "notes"
  | "exchange2003"
  | "interscan"
  | "ezweb"
  | "googlegroups"
  | "imailserver"
  | "zoho"
  | "domino"
  | "fml"
  | "googleworkspace"
  | "exchange2007"
  | "";

// Exchange 2007 and later (and Microsoft 365): at least two of its traits.
function isExchange2007(h: Notice["headers"], subject: string, from: string, text: string): boolean {
  const traits = [
    /Undeliverable|Non_remis_|Non remis |Non recapitabile|Olevererbart/.test(subject),
    /postmaster@outlook\.com|\.onmicrosoft\.com/.test(from),
    / RESOLVER\.| QUEUE\./.test(text),
    /Error Details|Diagnostic information for administrators:|Informations de diagnostic pour les administrateurs|Informazioni di diagnostica per gli amministratori|Diagnostisk information f/.test(
      text,
    ),
    Boolean(first(h, "content-language")),
  ];
  return traits.filter(Boolean).length >= 2;
}

/** Recognises the MTA that wrote a notice from its headers and fixed wording. */
export function detectFlavor(notice: Notice): Flavor {
  const h = notice.headers;
  const from = first(h, "from");
  const subject = notice.subject;
  const text = notice.text.slice(0, 16 * 1024);
  const received = (h.get("received") ?? []).join("\n");
  const messageId = first(h, "message-id");
  if (/^"?InterScan/i.test(from.replace(/^.*\("?/, "")) || text.includes(" InterScan ")) return "interscan";
  const google =
    from.includes("<mailer-daemon@googlemail.com>") && subject.includes("Delivery Status Notification");
  if (
    google &&
    first(h, "x-failed-recipients") &&
    first(h, "x-google-smtp-source") &&
    text.includes("Google Groups")
  ) {
    return "googlegroups";
  }
  if (subject.startsWith("Undeliverable Mail") || first(h, "x-mailer").startsWith("<SMTP32 v"))
    return "imailserver";
  if (first(h, "x-zohomail")) return "zoho";
  if (subject.startsWith("DELIVERY FAILURE:") || subject.includes("DELIVERY_FAILURE")) return "domino";
  if (first(h, "x-mlserver") && from.includes("-admin@") && messageId.includes(".FML")) return "fml";
  if (isExchange2007(h, subject, from, text)) return "exchange2007";
  if (/Postmaster@(ezweb\.ne\.jp|au\.com)/i.test(from) && subject === "Mail System Error - Returned Mail")
    return "ezweb";
  if (subject === "Undelivered Mail Returned to Sender" || subject.includes("SMTP server: errors from ")) {
    if (/This is the (Postfix|mail system)|The (Postfix|mail system)/.test(text)) return "postfix";
  }
  if (/see transcript for details$/.test(subject) || /^Warning: (could not send|message)/.test(subject)) {
    if (text.includes("----- Transcript of session follows -----")) return "sendmail";
  }
  if (received.includes(" (DragonFly Mail Agent")) return "dragonfly";
  const googleNotice =
    from.includes("<mailer-daemon@googlemail.com>") && subject.includes("Delivery Status Notification");
  if (googleNotice && text.includes("Delivery to the following recipient")) return "gmail";
  if (googleNotice && notice.reports.length === 0 && !/^(?:Diagnostic-Code|Final-Recipient):/m.test(text)) {
    return "googleworkspace";
  }
  if (
    /Courier mail server at /.test(from) ||
    /^(NOTICE: mail delivery status\.|WARNING: delayed mail\.)/.test(subject)
  ) {
    return "courier";
  }
  if (messageId.startsWith("<courier.")) return "courier";
  if (
    received.includes(" (OpenSMTPD) with ") ||
    text.includes("This is the MAILER-DAEMON, please DO NOT REPLY")
  ) {
    return "opensmtpd";
  }
  if (subject.startsWith("Undeliverable message") && text.includes("------- Failure Reasons")) return "notes";
  const exchangeMailer = /Internet Mail Service \(|Microsoft Exchange Server Internet Mail Connector/.test(
    first(h, "x-mailer"),
  );
  if (
    first(h, "x-ms-embedded-report") ||
    exchangeMailer ||
    received.includes(" with Internet Mail Service (")
  ) {
    return "exchange2003";
  }
  if (
    subject === "failure notice" ||
    subject === "Failure Notice" ||
    /\(qmail \d+ invoked (for bounce|by )/.test(received)
  ) {
    return "qmail";
  }
  const eximSubject =
    /Mail delivery failed|Mail failure|Message frozen|Warning: message |error\(s\) in forwarding or filtering|Delivery Status Notification/.test(
      subject,
    );
  const eximId = /^<[^-@]{7}-[^-@]{6}-[^@]{2}@/.test(messageId);
  if ([from.includes("Mail Delivery System"), eximSubject, eximId].filter(Boolean).length >= 2) return "exim";
  if (
    first(h, "x-mx-bounce") ||
    first(h, "x-mxl-hash") ||
    first(h, "x-mxl-notehash") ||
    messageId.includes("<mxl~")
  ) {
    return "exim";
  }
  return "";
}

/**
 * Formats whose free text says everything about each recipient: what they write there wins over
 * a delivery-status part they may add (OpenSMTPD reports "delayed" there even for a final notice).
 */
export const TEXT_FIRST = new Set<Flavor>([
  "exchange2007",
  "googlegroups",
  "imailserver",
  "zoho",
  "qmail",
  "gmail",
  "opensmtpd",
  "dragonfly",
  "notes",
  "interscan",
  "exchange2003",
]);

/** Formats that put the explanation above the list of recipients. */
export const EXPLAINED_ABOVE = new Set<Flavor>(["ezweb"]);
