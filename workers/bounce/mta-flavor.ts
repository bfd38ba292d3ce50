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

/** What the detectors look at: a few headers, the subject and the start of the text. */
interface Traits {
  h: Notice["headers"];
  from: string;
  subject: string;
  text: string;
  received: string;
  messageId: string;
  reports: number;
}

const isGoogleNotice = (t: Traits) =>
  t.from.includes("<mailer-daemon@googlemail.com>") && t.subject.includes("Delivery Status Notification");

const EXIM_SUBJECT =
  /Mail delivery failed|Mail failure|Message frozen|Warning: message |error\(s\) in forwarding or filtering|Delivery Status Notification/;

/** The flavors in the order they are tried: the first that matches wins, so the order matters. */
const DETECTORS: readonly [Flavor, (t: Traits) => boolean][] = [
  ["interscan", (t) => /^"?InterScan/i.test(t.from.replace(/^.*\("?/, "")) || t.text.includes(" InterScan ")],
  [
    "googlegroups",
    (t) =>
      isGoogleNotice(t) &&
      Boolean(first(t.h, "x-failed-recipients")) &&
      Boolean(first(t.h, "x-google-smtp-source")) &&
      t.text.includes("Google Groups"),
  ],
  [
    "imailserver",
    (t) => t.subject.startsWith("Undeliverable Mail") || first(t.h, "x-mailer").startsWith("<SMTP32 v"),
  ],
  ["zoho", (t) => Boolean(first(t.h, "x-zohomail"))],
  ["domino", (t) => t.subject.startsWith("DELIVERY FAILURE:") || t.subject.includes("DELIVERY_FAILURE")],
  [
    "fml",
    (t) => Boolean(first(t.h, "x-mlserver")) && t.from.includes("-admin@") && t.messageId.includes(".FML"),
  ],
  ["exchange2007", (t) => isExchange2007(t.h, t.subject, t.from, t.text)],
  [
    "ezweb",
    (t) =>
      /Postmaster@(ezweb\.ne\.jp|au\.com)/i.test(t.from) && t.subject === "Mail System Error - Returned Mail",
  ],
  [
    "postfix",
    (t) =>
      (t.subject === "Undelivered Mail Returned to Sender" ||
        t.subject.includes("SMTP server: errors from ")) &&
      /This is the (Postfix|mail system)|The (Postfix|mail system)/.test(t.text),
  ],
  [
    "sendmail",
    (t) =>
      (/see transcript for details$/.test(t.subject) ||
        /^Warning: (could not send|message)/.test(t.subject)) &&
      t.text.includes("----- Transcript of session follows -----"),
  ],
  ["dragonfly", (t) => t.received.includes(" (DragonFly Mail Agent")],
  ["gmail", (t) => isGoogleNotice(t) && t.text.includes("Delivery to the following recipient")],
  [
    "googleworkspace",
    (t) => isGoogleNotice(t) && t.reports === 0 && !/^(?:Diagnostic-Code|Final-Recipient):/m.test(t.text),
  ],
  [
    "courier",
    (t) =>
      /Courier mail server at /.test(t.from) ||
      /^(NOTICE: mail delivery status\.|WARNING: delayed mail\.)/.test(t.subject) ||
      t.messageId.startsWith("<courier."),
  ],
  [
    "opensmtpd",
    (t) =>
      t.received.includes(" (OpenSMTPD) with ") ||
      t.text.includes("This is the MAILER-DAEMON, please DO NOT REPLY"),
  ],
  [
    "notes",
    (t) => t.subject.startsWith("Undeliverable message") && t.text.includes("------- Failure Reasons"),
  ],
  [
    "exchange2003",
    (t) =>
      Boolean(first(t.h, "x-ms-embedded-report")) ||
      /Internet Mail Service \(|Microsoft Exchange Server Internet Mail Connector/.test(
        first(t.h, "x-mailer"),
      ) ||
      t.received.includes(" with Internet Mail Service ("),
  ],
  [
    "qmail",
    (t) =>
      t.subject === "failure notice" ||
      t.subject === "Failure Notice" ||
      /\(qmail \d+ invoked (for bounce|by )/.test(t.received),
  ],
  ["exim", (t) => isEximByWording(t) || isEximByHeaders(t)],
];

/** Exim's wording: two of its sender name, its subjects and its message-id form. */
function isEximByWording(t: Traits): boolean {
  const eximId = /^<[^-@]{7}-[^-@]{6}-[^@]{2}@/.test(t.messageId);
  return (
    [t.from.includes("Mail Delivery System"), EXIM_SUBJECT.test(t.subject), eximId].filter(Boolean).length >=
    2
  );
}

/** Exim-based hosts that mark their notices with their own headers. */
function isEximByHeaders(t: Traits): boolean {
  return (
    Boolean(first(t.h, "x-mx-bounce")) ||
    Boolean(first(t.h, "x-mxl-hash")) ||
    Boolean(first(t.h, "x-mxl-notehash")) ||
    t.messageId.includes("<mxl~")
  );
}

/** Recognises the MTA that wrote a notice from its headers and fixed wording. */
export function detectFlavor(notice: Notice): Flavor {
  const h = notice.headers;
  const traits: Traits = {
    h,
    from: first(h, "from"),
    subject: notice.subject,
    text: notice.text.slice(0, 16 * 1024),
    received: (h.get("received") ?? []).join("\n"),
    messageId: first(h, "message-id"),
    reports: notice.reports.length,
  };
  for (const [flavor, matches] of DETECTORS) if (matches(traits)) return flavor;
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
