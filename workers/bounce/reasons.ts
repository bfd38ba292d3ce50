// The bounce reason of one recipient, decided from its status code, reply code, the SMTP command
// that failed and the wording of the diagnostic, in the order sisimai applies them, and whether
// the reason means the address itself is bad (a hard bounce).

import { localAgentReason } from "./lda";
import { includedIn } from "./reason-patterns";
import { providerReason } from "./rhost";
import { classOf, findReplyCode, findStatus, looksTemporary, statusReason } from "./status";

/** What is known about one failed recipient when its reason is decided. */
export interface ReasonFacts {
  status: string;
  diagnostic: string;
  /** The Diagnostic-Code type: "SMTP", "X-UNIX", ... ("" when the notice gives none). */
  diagnosticType: string;
  /** The SMTP command the remote server rejected: CONN, EHLO, HELO, MAIL, RCPT, DATA. */
  command: string;
  replyCode: string;
  action: string;
  /** A reason a format-specific parser already decided, "" if none. */
  hint: string;
  /** Remote MTA host name, for provider-specific wording. */
  remoteHost: string;
  /** The reporting (local) MTA's host name. */
  localHost: string;
  recipient: string;
}

// Reasons a parser may have guessed too early: they are decided again from the evidence.
const RETRIED = new Set([
  "",
  "undefined",
  "onhold",
  "systemerror",
  "securityerror",
  "expired",
  "networkerror",
  "hostunknown",
  "userunknown",
]);

// Reasons tried on the SMTP diagnostic first, then the wider net tried when those say nothing.
const FIRST_ORDER = [
  "mailboxfull",
  "mesgtoobig",
  "exceedlimit",
  "suspend",
  "hasmoved",
  "norelaying",
  "authfailure",
  "userunknown",
  "filtered",
  "requireptr",
  "notcompliantrfc",
  "badreputation",
  "contenterror",
  "rejected",
  "hostunknown",
  "spamdetected",
  "speeding",
  "toomanyconn",
  "blocked",
];
const SECOND_ORDER = [
  "mailboxfull",
  "authfailure",
  "badreputation",
  "speeding",
  "spamdetected",
  "virusdetected",
  "policyviolation",
  "norelaying",
  "systemerror",
  "networkerror",
  "suspend",
  "contenterror",
  "systemfull",
  "notaccept",
  "expired",
  "failedstarttls",
  "securityerror",
  "mailererror",
];
// Commands sent before DATA: a rejection there cannot be about the message content.
const BEFORE_DATA = new Set(["CONN", "EHLO", "HELO", "MAIL", "RCPT"]);

type Probe = (f: ReasonFacts, text: string, named: string) => boolean;

// How each reason of FIRST_ORDER recognises itself: the status code's own meaning, the wording,
// and where in the SMTP session the rejection came.
const PROBES: Record<string, Probe> = {
  mailboxfull: (_f, t, n) => n === "mailboxfull" || includedIn("mailboxfull", t),
  mesgtoobig: (f, t, n) =>
    n === "mesgtoobig" || (n !== "exceedlimit" && f.status !== "5.2.3" && includedIn("mesgtoobig", t)),
  exceedlimit: (_f, t, n) => n === "exceedlimit" || includedIn("exceedlimit", t),
  suspend: (f, t) => f.replyCode === "525" || includedIn("suspend", t),
  hasmoved: (_f, t) => includedIn("hasmoved", t),
  norelaying: (f, t) =>
    !["securityerror", "systemerror", "undefined"].includes(f.hint) &&
    !["CONN", "EHLO", "HELO"].includes(f.command) &&
    includedIn("norelaying", t),
  authfailure: (_f, t, n) => n === "authfailure" || includedIn("authfailure", t),
  userunknown: (f, t, n) => {
    if (n === "suspend") return false;
    if (n === "userunknown") {
      // 5.1.1 with wording that names another cause is that cause.
      return !["norelaying", "blocked", "mailboxfull", "hasmoved", "rejected", "notaccept"].some((r) =>
        includedIn(r, t),
      );
    }
    return f.command === "RCPT" && includedIn("userunknown", t);
  },
  filtered: (f, t, n) => {
    if (n === "suspend") return false;
    if (n === "filtered") return includedIn("userunknown", t) || includedIn("filtered", t);
    if (BEFORE_DATA.has(f.command)) return false;
    return includedIn("filtered", t) || includedIn("userunknown", t);
  },
  requireptr: (_f, t, n) => n === "requireptr" || includedIn("requireptr", t),
  notcompliantrfc: (_f, t) => includedIn("notcompliantrfc", t),
  badreputation: (_f, t) => includedIn("badreputation", t),
  contenterror: (f, t, n) => !spamProbe(f, t, n) && (n === "contenterror" || includedIn("contenterror", t)),
  rejected: (f, t, n) => {
    if (n === "rejected") return true;
    const named = n || "undefined";
    if (f.command === "MAIL") return includedIn("rejected", t);
    if (f.command === "DATA" && named !== "userunknown") return includedIn("rejected", t);
    if (["undefined", "onhold", "securityerror", "systemerror"].includes(named))
      return includedIn("rejected", t);
    return false;
  },
  hostunknown: (_f, t, n) =>
    n === "hostunknown" ? !includedIn("networkerror", t) : includedIn("hostunknown", t),
  spamdetected: (f, t, n) => spamProbe(f, t, n),
  speeding: (_f, t) => includedIn("speeding", t),
  toomanyconn: (_f, t, n) => n === "toomanyconn" || includedIn("toomanyconn", t),
  blocked: (_f, t, n) => n === "blocked" || includedIn("blocked", t),
};

function spamProbe(f: ReasonFacts, text: string, named: string): boolean {
  if (!f.status) return false;
  if (named === "spamdetected") return true;
  if (BEFORE_DATA.has(f.command)) return false;
  return includedIn("spamdetected", text);
}

/** The sisimai-style reason for one failed recipient. */
export function findReason(f: ReasonFacts): string {
  if (!RETRIED.has(f.hint)) return f.hint;
  const agent = localAgentReason(f.diagnostic, f.command);
  if (agent) return agent;
  const provider = providerReason(f);
  if (provider) return provider;
  if (f.status.startsWith("2.")) return "delivered";

  const text = f.diagnostic.toLowerCase();
  const named = statusReason(f.status);
  let reason = "";
  if (f.diagnosticType === "SMTP" || f.diagnosticType === "") {
    reason = FIRST_ORDER.find((r) => f.hint === r || PROBES[r]?.(f, text, named)) ?? "";
  }
  if (reason && reason !== "undefined") return reason;

  reason = widerNet(f, text, named);
  if (reason) return reason;
  if (f.action === "delayed") return "expired";
  if (includedIn("vacation", text)) return "vacation";
  return text ? "onhold" : "undefined";
}

// The fallback when the SMTP-specific probes found nothing: the status code's own meaning once
// the wider set of wordings has had its say, then the status subject and the failed command.
function widerNet(f: ReasonFacts, text: string, named: string): string {
  if (f.hint && f.hint !== "undefined" && f.hint !== "onhold") return f.hint;
  if (!RETRIED.has(named) && f.diagnosticType === "SMTP") return named;
  const worded = SECOND_ORDER.find((r) => includedIn(r, text));
  if (worded) return worded;
  if (named) return named;
  const subject = f.status.slice(0, 3);
  if (f.status.length > 3 && (subject === "5.6" || subject === "4.6")) return "contenterror";
  if (f.status.length > 3 && (subject === "5.7" || subject === "4.7")) return "securityerror";
  if (f.diagnosticType.startsWith("X-UNIX")) return "mailererror";
  const reply = Number(f.replyCode);
  if ((reply > 400 && reply < 408) || (reply > 500 && reply < 508)) return "syntaxerror";
  if (f.action === "delayed" || f.action === "expired") return "expired";
  if (f.command === "EHLO" || f.command === "HELO") return "blocked";
  return "";
}

// Reasons that condemn the address itself: suppress it at once.
const HARD = new Set(["userunknown", "hostunknown", "hasmoved"]);

/** True when the reason means the address is bad; a domain refusing all mail only when permanent. */
export function isHard(reason: string, status: string, diagnostic: string): boolean {
  if (HARD.has(reason)) return true;
  if (reason !== "notaccept") return false;
  const evidence = `${status} ${diagnostic}`.trim();
  if (evidence.length < 4) return true;
  const code = findStatus(evidence) || findReplyCode(evidence);
  return classOf(code) === "5" || !looksTemporary(evidence);
}
