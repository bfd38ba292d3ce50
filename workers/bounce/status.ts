// RFC 3463 enhanced status codes and RFC 5321 reply codes: finding them in diagnostic text,
// choosing between the ones a notice carries, and what each one means.

/** Longest stretch of a diagnostic we scan: real ones are short, hostile ones need not be. */
const SCAN_LIMIT = 4000;

/** True for a well-formed RFC 3463 code: class 2, 4 or 5, subject 0-7, detail 0-999. */
export function isStatus(code: string): boolean {
  return /^[245]\.[0-7]\.\d{1,3}$/.test(code);
}

/** The class digit of a status or reply code ("5.1.1" -> "5"), "" when there is none. */
export function classOf(code: string | undefined): string {
  const c = code?.[0] ?? "";
  return c === "2" || c === "4" || c === "5" ? c : "";
}

/**
 * The enhanced status code a diagnostic text carries, e.g. "550 5.1.1 <a@b>... unknown" -> "5.1.1".
 * With `replyClass` only codes of that class count. Vague codes (x.0.0, 4.4.7) are used only when
 * nothing more specific appears; several specific ones are reduced with `preferStatus`.
 */
export function findStatus(text: string, replyClass = ""): string {
  if (text.length < 5) return "";
  // IPv4 addresses look like status codes ("192.0.2.1" holds "2.1"): blank them first.
  const scan = ` ${text.slice(0, SCAN_LIMIT).replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, "#")} `;
  const want = classOf(replyClass);
  const found: string[] = [];
  let vague = "";
  const re = /([245])\.([0-7])\.(\d{1,3})(?!\d)/g;
  for (let m = re.exec(scan); m !== null; m = re.exec(scan)) {
    const before = scan[m.index - 1] ?? " ";
    // A digit, dot or slash before it means a version number, a date or a path, not a code.
    if (/[\d./vV]/.test(before)) continue;
    if (want && m[1] !== want) continue;
    const code = m[0];
    if (code.endsWith(".0.0") || code === "4.4.7") {
      vague = code;
      continue;
    }
    found.push(code);
  }
  if (vague) found.push(vague);
  let chosen = found[0] ?? "";
  for (const code of found.slice(1)) chosen = preferStatus(chosen, code, "");
  return chosen;
}

// Reply codes in the order they are tried: the common permanent ones first, as sisimai does.
const REPLY_CODES: Record<string, string[]> = {
  "5": [
    "550",
    "552",
    "553",
    "551",
    "521",
    "525",
    "523",
    "524",
    "530",
    "533",
    "534",
    "535",
    "538",
    "555",
    "556",
    "554",
    "500",
    "501",
    "502",
    "503",
    "504",
  ],
  "4": ["421", "450", "451", "452", "422", "430", "432", "453", "454", "455", "458", "459"],
  "2": ["211", "214", "220", "221", "235", "250", "251", "252", "253", "334", "354"],
};

/** True for a reply code RFC 5321 and its extensions define. */
export function isReplyCode(code: string): boolean {
  return Object.values(REPLY_CODES).some((list) => list.includes(code));
}

/**
 * The SMTP reply code a diagnostic carries ("host said: 550 5.1.1 ..." -> "550"). With
 * `statusClass` only codes of that class count. Program exit texts (X-Unix) carry none.
 */
export function findReplyCode(text: string, statusClass = ""): string {
  if (text.length < 3) return "";
  const scan = ` ${text.slice(0, SCAN_LIMIT)} `;
  if (scan.toUpperCase().includes("X-UNIX")) return "";
  const want = classOf(statusClass);
  const classes = want ? [want] : ["5", "4", "2"];
  for (const cls of classes) {
    for (const code of REPLY_CODES[cls] ?? []) {
      for (let at = scan.indexOf(code); at > 0; at = scan.indexOf(code, at + 3)) {
        // A neighbouring digit, dot or slash means part of a longer number, an address or a path.
        if (/[\d./]/.test(scan[at - 1] ?? "") || /[\d./]/.test(scan[at + 3] ?? "")) continue;
        return code;
      }
    }
  }
  return "";
}

/**
 * Chooses between the Status: field of a report and a code found in its diagnostic text, the
 * reply code breaking a tie between classes. The specific code wins over a vague one.
 */
export function preferStatus(field: string, inText: string, reply: string): string {
  if (!field) return inText;
  if (!inText) return field;
  if (field.length < 5) return inText;
  if (inText.length < 5) return field;
  const r = reply[0] ?? "";
  if (r && field[0] !== inText[0]) {
    if (r === field[0]) return field;
    if (r === inText[0]) return inText;
  }
  if (field === inText) return field;
  if (field.includes(".0.0")) return inText.includes(".0.0") ? field : inText;
  const fieldZero = field.indexOf(".0") > 0;
  const textZero = inText.indexOf(".0") > 0;
  if (fieldZero && !textZero) return inText;
  if (inText.includes(".0.0")) return field;
  // Codes that say little about the mailbox: the diagnostic usually knows better.
  if (field === "4.4.7" || field === "4.7.0" || field.startsWith("5.3.")) return inText;
  if (/^[245]\.5\.[1245]$/.test(field)) return inText;
  if (field === "5.1.1") return textZero || inText.startsWith("5.5.") ? field : inText;
  if (field === "5.1.3" && inText.startsWith("5.7.")) return inText;
  return field;
}

// What each registered code means in the reason vocabulary; x.0.0, 4.3.0, 4.4.0, 4.5.0 and 4.7.0
// are too vague to name one.
const STATUS_REASONS: Record<string, string> = {
  "2.1.5": "delivered",
  "4.1.6": "hasmoved",
  "4.1.7": "rejected",
  "4.1.8": "rejected",
  "4.1.9": "systemerror",
  "4.2.1": "blocked",
  "4.2.2": "mailboxfull",
  "4.2.3": "exceedlimit",
  "4.2.4": "filtered",
  "4.3.1": "systemfull",
  "4.3.2": "notaccept",
  "4.3.3": "systemerror",
  "4.3.5": "systemerror",
  "4.4.1": "expired",
  "4.4.2": "networkerror",
  "4.4.3": "systemerror",
  "4.4.4": "networkerror",
  "4.4.5": "systemfull",
  "4.4.6": "networkerror",
  "4.4.7": "expired",
  "4.4.8": "networkerror",
  "4.5.3": "systemerror",
  "4.5.5": "systemerror",
  "4.6.0": "contenterror",
  "4.6.2": "contenterror",
  "4.6.5": "contenterror",
  "4.7.1": "blocked",
  "4.7.2": "blocked",
  "4.7.5": "securityerror",
  "4.7.6": "securityerror",
  "4.7.7": "securityerror",
  "4.7.12": "securityerror",
  "4.7.15": "securityerror",
  "4.7.16": "mesgtoobig",
  "4.7.24": "authfailure",
  "4.7.25": "requireptr",
  "4.7.26": "authfailure",
  "5.1.0": "userunknown",
  "5.1.1": "userunknown",
  "5.1.2": "hostunknown",
  "5.1.3": "userunknown",
  "5.1.4": "filtered",
  "5.1.6": "hasmoved",
  "5.1.7": "rejected",
  "5.1.8": "rejected",
  "5.1.9": "systemerror",
  "5.1.10": "notaccept",
  "5.2.0": "filtered",
  "5.2.1": "filtered",
  "5.2.2": "mailboxfull",
  "5.2.3": "exceedlimit",
  "5.2.4": "filtered",
  "5.3.0": "systemerror",
  "5.3.1": "systemfull",
  "5.3.2": "notaccept",
  "5.3.3": "systemerror",
  "5.3.4": "mesgtoobig",
  "5.3.5": "systemerror",
  "5.4.0": "networkerror",
  "5.4.3": "systemerror",
  "5.4.4": "hostunknown",
  "5.5.2": "syntaxerror",
  "5.5.3": "toomanyconn",
  "5.5.4": "systemerror",
  "5.5.5": "systemerror",
  "5.5.6": "syntaxerror",
  "5.6.0": "contenterror",
  "5.6.1": "contenterror",
  "5.6.2": "contenterror",
  "5.6.3": "contenterror",
  "5.6.5": "contenterror",
  "5.6.6": "contenterror",
  "5.6.7": "contenterror",
  "5.6.8": "contenterror",
  "5.6.9": "contenterror",
  "5.7.0": "securityerror",
  "5.7.1": "securityerror",
  "5.7.2": "securityerror",
  "5.7.3": "securityerror",
  "5.7.4": "securityerror",
  "5.7.5": "securityerror",
  "5.7.6": "securityerror",
  "5.7.7": "securityerror",
  "5.7.8": "securityerror",
  "5.7.9": "securityerror",
  "5.7.10": "securityerror",
  "5.7.11": "securityerror",
  "5.7.13": "suspend",
  "5.7.14": "securityerror",
  "5.7.15": "securityerror",
  "5.7.16": "mesgtoobig",
  "5.7.17": "hasmoved",
  "5.7.18": "hasmoved",
  "5.7.19": "securityerror",
  "5.7.20": "authfailure",
  "5.7.21": "authfailure",
  "5.7.22": "authfailure",
  "5.7.23": "authfailure",
  "5.7.24": "authfailure",
  "5.7.25": "requireptr",
  "5.7.26": "authfailure",
  "5.7.27": "notaccept",
  "5.7.28": "spamdetected",
  "5.7.29": "authfailure",
  "5.7.30": "failedstarttls",
};

/** The reason a status code stands for ("5.2.2" -> "mailboxfull"), "" for vague codes. */
export function statusReason(code: string): string {
  return isStatus(code) ? (STATUS_REASONS[code] ?? "") : "";
}

/** True when a text reads as a temporary failure: a 4xx code or the words for one. */
export function looksTemporary(text: string): boolean {
  const code = findStatus(text) || findReplyCode(text);
  if (code.startsWith("4")) return true;
  // Wording wins over a 5xx code: "550 mailbox temporarily unavailable" is retried by senders.
  return / temporar| persistent/i.test(` ${text.slice(0, SCAN_LIMIT)}`);
}
