// The human-readable part of a notice: where the MTA's own words end and the returned copy of
// the original message begins, and which SMTP command the remote server rejected.

/** Only this much of a notice's text is read: the words of a notice come first. */
export const TEXT_LIMIT = 64 * 1024;

// Lines MTAs put between their notice and the returned message (matched as line prefixes after
// trimming, case-insensitively).
const CUT_MARKERS = [
  "----- original message -----",
  "----- message header follows -----",
  "------ this is a copy of the message",
  "----- this is a copy of the message",
  "--- below this line is a copy of the message",
  "--- below the next line is a copy of the message",
  "--- below this line is a copy of the mail header",
  "--- mensaje original adjunto",
  "original message follows",
  "message headers follow",
  "--- the header of the original message is following",
  "------- returned message --------",
  "----- original message follows -----",
  "----- unsent message follows -----",
  "----- message follows -----",
  "----- message header follows",
  "included is a copy of the message header",
  "-----original message-----",
  "----- original message -----",
  "------ original message ------",
  "original mail as follows:",
  "content-type: message/rfc822",
  "content-type: text/rfc822-headers",
  "--- original message ---",
  "below is a copy of the original message",
  "a copy of the original message below",
  "this is a copy of the headers that were received",
  "--- original message header ---",
  "------ a copy of the original message follows",
  "-------- original message --------",
  "original message headers",
  "tes de message d'origine :",
  "intestazioni originali del messaggio:",
  "ursprungshuvuden:",
  "----- the header of the original message -----",
];

// Header fields that start a returned message copied into the text without a marker line.
const HEADER_START =
  /^(?:Return-Path|Received|DKIM-Signature|X-Received|ARC-Seal|Delivered-To|Message-I[Dd]|X-Google-Smtp-Source):\s/;

export interface NoticeText {
  /** The notice's own words. */
  body: string;
  /** What follows the notice: usually the returned message or its headers. */
  returned: string;
}

/** Splits a notice's text at the start of the returned message. */
export function splitNotice(text: string): NoticeText {
  const lines = text.slice(0, TEXT_LIMIT).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const trimmed = line.trim().toLowerCase();
    if (CUT_MARKERS.some((m) => trimmed.startsWith(m))) {
      return { body: lines.slice(0, i).join("\n"), returned: lines.slice(i + 1).join("\n") };
    }
    // A header block at the left margin: two header fields in a row, the first one a trace field.
    if (i > 0 && HEADER_START.test(line) && /^[A-Za-z-]+:\s|^[ \t]/.test(lines[i + 1] ?? "")) {
      return { body: lines.slice(0, i).join("\n"), returned: lines.slice(i).join("\n") };
    }
  }
  return { body: lines.join("\n"), returned: "" };
}

/** The returned message's header block, unindented, when the returned text begins with one. */
export function returnedHeaders(returned: string): string {
  const lines = returned.split("\n");
  let i = 0;
  while (i < lines.length && !/^\s*[A-Za-z][A-Za-z0-9-]*:\s/.test(lines[i] ?? "")) {
    if (i > 5) return "";
    i++;
  }
  const indent = /^\s*/.exec(lines[i] ?? "")?.[0].length ?? 0;
  return lines
    .slice(i)
    .map((l) => (indent > 0 && l.startsWith(" ".repeat(indent)) ? l.slice(indent) : l))
    .join("\n");
}

// Phrases MTAs use to say which command was rejected, most specific first.
const COMMAND_PHRASES: [RegExp, string][] = [
  [
    /in reply to (?:end of )?data command|after end of data|did not like our (?:final )?data|failed on data command|failed after i sent the message|after data command/i,
    "DATA",
  ],
  [
    /in reply to rcpt to command|after rcpt to|does not like recipient|did not like our rcpt|\[rcpt_to\]|after rcpt command|in rcpt to/i,
    "RCPT",
  ],
  [
    /in reply to mail from command|after mail from|but sender was rejected|did not like our mail from|\[mail_from\]/i,
    "MAIL",
  ],
  [
    /in reply to (?:ehlo|helo) command|but my name was rejected|refused to talk to me|after (?:ehlo|helo)/i,
    "EHLO",
  ],
  [/after initial connection|but greeting failed/i, "CONN"],
  [/in reply to starttls command|after starttls/i, "STARTTLS"],
];
const COMMAND_TOKENS = ["HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA"];

/** The SMTP command a diagnostic says was rejected, "" when it names none. */
export function findCommand(text: string): string {
  const scan = text.slice(0, 8000);
  for (const [re, command] of COMMAND_PHRASES) if (re.test(scan)) return command;
  // A bare command word (">>> RCPT To:<...>"): the one furthest into the session wins.
  let found = "";
  for (const token of COMMAND_TOKENS) {
    const re =
      token === "MAIL"
        ? /(?:^|[^A-Za-z0-9@.])MAIL F/
        : new RegExp(`(?:^|[^A-Za-z0-9@.])${token}(?![A-Za-z0-9@.])`);
    if (re.test(scan)) found = token;
  }
  return found;
}
