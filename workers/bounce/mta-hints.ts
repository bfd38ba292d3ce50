// What an MTA's own fixed phrases say about the reason: Exim, qmail, Courier, OpenSMTPD,
// DragonFly, Notes, IMail and Exchange explain failures in words their source code fixes, and
// Gmail numbers the SMTP session state it failed in.

import type { Flavor } from "./mta-flavor";
import { findCommand } from "./notice-text";
import { findStatus, statusReason } from "./status";

/** What a format's own wording says about one recipient. */
export interface Hint {
  reason: string;
  command: string;
  /** The format reports this failure as temporary when it gives no code. */
  temporary: boolean;
}

const EXIM_REASONS: [string, string[]][] = [
  ["userunknown", ["user not found"]],
  [
    "hostunknown",
    [
      "all host address lookups failed permanently",
      "all relevant MX records point to non-existent hosts",
      "Unrouteable address",
    ],
  ],
  ["mailboxfull", ["mailbox is full", "error: quota exceed"]],
  [
    "notaccept",
    ["an MX or SRV record indicated no SMTP service", "no host found for existing SMTP connection"],
  ],
  [
    "syntaxerror",
    [
      "angle-brackets nested too deep",
      'expected word or "<"',
      "domain missing in source-routed address",
      "malformed address:",
    ],
  ],
  [
    "systemerror",
    [
      "delivery to file forbidden",
      "delivery to pipe forbidden",
      "local delivery failed",
      "LMTP error after ",
    ],
  ],
  ["contenterror", ['Too many "Received" headers']],
];
const EXIM_DELAYED = [
  "retry timeout exceeded",
  "No action is required on your part",
  "retry time not reached for any host after a long failure period",
  "all hosts have been failing for a long time and were last tried",
  "Delay reason: ",
  "has been frozen",
  "was frozen on arrival by ",
];
const QMAIL_COMMANDS: [string, string[]][] = [
  ["CONN", [" but greeting failed."]],
  ["EHLO", [" but my name was rejected."]],
  ["MAIL", [" but sender was rejected."]],
  ["RCPT", [" does not like recipient."]],
  ["DATA", [" failed on DATA command", " failed after I sent the message"]],
];
const QMAIL_REASONS: [string, string[]][] = [
  ["hostunknown", ["Sorry, I couldn't find any host "]],
  ["mailboxfull", ["disk quota exceeded"]],
  ["mesgtoobig", ["Message size exceeds fixed maximum message size:"]],
  [
    "networkerror",
    [
      "Sorry, I wasn't able to establish an SMTP connection",
      "Sorry. Although I'm listed as a best-preference MX or A for that host",
    ],
  ],
  ["notaccept", ["Sorry, I couldn't find a mail exchanger or IP address"]],
  ["systemerror", ["bad interpreter: No such file or directory", "system error", "Unable to"]],
  ["systemfull", ["Requested action not taken: mailbox unavailable (not enough free space)"]],
  ["userunknown", ["no mailbox here by that name"]],
  ["exceedlimit", ["The message exeeded the maximum size the user accepts"]],
  ["suspend", ["Mailaddress is administrativly disabled", "Mailaddress is administratively disabled"]],
];
// Gmail's "(state N)": the SMTP session state the remote server rejected the message in.
const GMAIL_STATES: Record<string, [string, string]> = {
  "6": ["MAIL", "failedstarttls"],
  "8": ["AUTH", "systemerror"],
  "9": ["AUTH", "failedstarttls"],
  "12": ["AUTH", "norelaying"],
  "13": ["EHLO", "blocked"],
  "14": ["RCPT", "userunknown"],
  "15": ["DATA", "filtered"],
  "17": ["DATA", "filtered"],
  "18": ["DATA", "filtered"],
};
const FIXED_WORDING: Partial<Record<Flavor, [string, string[]][]>> = {
  courier: [
    ["hostunknown", ["No such domain."]],
    ["systemerror", ["This domain's DNS violates RFC 1035."]],
    ["networkerror", ["DNS lookup failed."]],
  ],
  opensmtpd: [
    ["expired", ["Envelope expired"]],
    ["securityerror", ["Could not retrieve credentials"]],
    ["hostunknown", ["Invalid domain name", "Domain does not exist"]],
    [
      "networkerror",
      [
        "Address family mismatch on destination MXs",
        "All routes to destination blocked",
        "bad DNS lookup error code",
        "Could not retrieve source address",
        "Loop detected",
        "Network error on destination MXs",
        "No valid route to remote MX",
        "No valid route to destination",
        "Temporary failure in MX lookup",
      ],
    ],
    [
      "notaccept",
      ["Destination seem to reject all mails", "No MX found for domain", "No MX found for destination"],
    ],
  ],
  dragonfly: [
    ["expired", ["Could not deliver for the last "]],
    ["hostunknown", ["DNS lookup failure: host "]],
  ],
  notes: [
    ["networkerror", ["Message has exceeded maximum hop count"]],
    ["userunknown", ["User not listed in public Name & Address Book", "ディレクトリのリストにありません"]],
  ],
  interscan: [["userunknown", ["Unable to deliver"]]],
  imailserver: [
    ["hostunknown", ["Unknown host"]],
    ["userunknown", ["Unknown user", "Invalid final delivery userid"]],
    ["mailboxfull", ["User mailbox exceeds allowed size"]],
    ["virusdetected", ["Requested action not taken: virus detected"]],
    ["spamdetected", ["Blacklisted URL in message"]],
    ["expired", ["Delivery failed "]],
  ],
  zoho: [["expired", ["Host not reachable"]]],
  domino: [
    ["filtered", ["Cannot route mail to user"]],
    ["systemerror", ["Several matches found in Domino Directory"]],
    [
      "userunknown",
      [
        "not listed in Domino Directory",
        "not listed in public Name & Address Book",
        "no se encuentra en el Directorio de Domino",
        "non répertorié dans l'annuaire Domino",
        "Domino ディレクトリには見つかりません",
      ],
    ],
  ],
  googleworkspace: [
    [
      "userunknown",
      ["because the address couldn't be found. Check for typos or unnecessary spaces and try again."],
    ],
  ],
  ezweb: [
    ["expired", ["Your message was not delivered within "]],
    ["mailboxfull", ["The user(s) account is temporarily over quota"]],
    ["suspend", ["The user(s) account is disabled.", "The user(s) account is temporarily limited."]],
    ["onhold", ["Each of the following recipients was rejected by a remote mail server"]],
  ],
};
// fml (a mailing list manager) names the condition in the notice's first words.
const FML_REASONS: [string, string[]][] = [
  [
    "systemerror",
    [
      "Loop Alert: ",
      "Loop Back Warning",
      "WARNING: UNIX FROM Loop",
      "fml system error message",
      " has detected a loop condition so that",
    ],
  ],
  ["securityerror", ["Security Alert", "Security alert:"]],
  [
    "rejected",
    [
      " are not member",
      "NOT MEMBER article from ",
      "reject mail ",
      "Spam mail from a spammer is rejected",
      " header may cause mail loop",
      "reject spammers:",
      "You are not a member of this mailing list",
    ],
  ],
  ["notcompliantrfc", ["Duplicated Message-ID"]],
];

// Exchange 2007 and later name the failure with a component code: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found".
const EXCHANGE_NDR_CODES: Record<string, string> = {
  "SMTPSEND.DNS.NonExistentDomain": "hostunknown",
  "SMTPSEND.DNS.MxLoopback": "networkerror",
  "RESOLVER.ADR.BadPrimary": "systemerror",
  "RESOLVER.ADR.RecipNotFound": "userunknown",
  "RESOLVER.ADR.RecipientNotFound": "userunknown",
  "RESOLVER.ADR.ExRecipNotFound": "userunknown",
  "RESOLVER.ADR.RecipLimit": "toomanyconn",
  "RESOLVER.ADR.InvalidInSmtp": "systemerror",
  "RESOLVER.ADR.Ambiguous": "systemerror",
  "RESOLVER.RST.AuthRequired": "securityerror",
  "RESOLVER.RST.NotAuthorized": "rejected",
  "RESOLVER.RST.RecipSizeLimit": "exceedlimit",
  "QUEUE.Expired": "expired",
};
// Exchange 2003 quotes an MSEXCH error number: "MSEXCH:IMS:... (000C05A6) Unknown Recipient".
const MSEXCH_CODES: Record<string, string> = {
  "000C05A6": "userunknown",
  "000C0595": "filtered",
  "00010256": "systemerror",
  "000D06B5": "systemerror",
  "00120270": "networkerror",
  "00050311": "contenterror",
  "000502CC": "contenterror",
  "000B0981": "securityerror",
  "000B099C": "onhold",
  "000B09AA": "onhold",
  "000B09B6": "onhold",
};

function firstMatch(table: [string, string[]][] | undefined, text: string): string {
  for (const [reason, phrases] of table ?? []) if (phrases.some((p) => text.includes(p))) return reason;
  return "";
}

/** The reason, command and retry class a notice's format implies for one diagnostic. */
export function formatHint(flavor: Flavor, diagnostic: string): Hint {
  switch (flavor) {
    case "exim":
      return eximHint(diagnostic);
    case "qmail":
      return qmailHint(diagnostic);
    case "gmail":
      return gmailHint(diagnostic);
    case "fml":
      return reasonOnly(firstMatch(FML_REASONS, diagnostic));
    case "googlegroups":
      // The notice lists four possible causes when the group refused the post.
      return reasonOnly((diagnostic.match(/ \* /g) ?? []).length >= 4 ? "rejected" : "onhold");
    case "exchange2007": {
      const code = /\b((?:RESOLVER|QUEUE|SMTPSEND)\.[A-Za-z.]+);/.exec(diagnostic)?.[1] ?? "";
      return reasonOnly(EXCHANGE_NDR_CODES[code] ?? "");
    }
    case "exchange2003": {
      const code = /MSEXCH:[^(]*\(([0-9A-F]{8})\)/.exec(diagnostic)?.[1] ?? "";
      return reasonOnly(MSEXCH_CODES[code] ?? "");
    }
    default:
      return reasonOnly(firstMatch(FIXED_WORDING[flavor], diagnostic));
  }
}

function reasonOnly(reason: string): Hint {
  return { reason, command: "", temporary: false };
}

/** Exim names the SMTP command a remote refused; its own wording names the rest. */
function eximHint(diagnostic: string): Hint {
  const hint: Hint = { reason: "", command: "", temporary: false };
  if (/SMTP error from remote |LMTP error after /.test(diagnostic)) hint.command = findCommand(diagnostic);
  if (hint.command === "EHLO" || hint.command === "HELO") hint.reason = "blocked";
  else if (hint.command === "MAIL") hint.reason = "onhold";
  else hint.reason = firstMatch(EXIM_REASONS, diagnostic);
  if (!hint.reason && !hint.command) {
    if (EXIM_DELAYED.some((p) => diagnostic.includes(p))) hint.reason = "expired";
    else if (diagnostic.includes("pipe to |")) hint.reason = "mailererror";
  }
  hint.temporary = hint.reason === "expired" || hint.reason === "mailboxfull";
  return hint;
}

/** qmail's fixed sentences name both the command and the reason. */
function qmailHint(diagnostic: string): Hint {
  const hint: Hint = { reason: "", command: "", temporary: false };
  hint.command = QMAIL_COMMANDS.find(([, phrases]) => phrases.some((p) => diagnostic.includes(p)))?.[0] ?? "";
  if (hint.command === "EHLO") hint.reason = "blocked";
  else if (
    diagnostic.includes(" does not like recipient.") &&
    diagnostic.includes("this message has been in the queue too long.")
  ) {
    hint.reason = "onhold";
  } else {
    hint.reason = firstMatch(QMAIL_REASONS, diagnostic);
    if (!hint.reason && diagnostic.includes("this message has been in the queue too long."))
      hint.reason = "expired";
  }
  return hint;
}

/** Gmail gives its session state as a number, or a DNS or delay sentence. */
function gmailHint(diagnostic: string): Hint {
  const hint: Hint = { reason: "", command: "", temporary: false };
  const state = GMAIL_STATES[/ \(state (\d+)\)/.exec(diagnostic)?.[1] ?? ""];
  if (state) [hint.command, hint.reason] = state;
  if (!hint.reason) {
    if (
      /DNS Error: Could not contact DNS servers|Delivery to the following recipient has been delayed|The recipient server did not accept our requests to connect/.test(
        diagnostic,
      )
    ) {
      hint.reason = "expired";
    } else if (
      /DNS Error: Domain name not found|DNS Error: DNS server returned answer with no data/.test(diagnostic)
    ) {
      hint.reason = "hostunknown";
    }
  }
  // A specific status code in the reply says more than the session state.
  const status = findStatus(diagnostic);
  if (hint.reason && status && !status.includes(".0")) hint.reason = statusReason(status) || hint.reason;
  return hint;
}
