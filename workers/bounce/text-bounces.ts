// Free-form notices (Exim, qmail, Postfix's text part, Sendmail transcripts, Gmail, Exchange,
// Notes, Yahoo, DragonFly, IMail, ...): which lines name a failed recipient, and which text
// around each one is its diagnostic.

import { extractAddress, isAddress } from "./headers";

export interface TextRecipient {
  email: string;
  alias: string;
  diagnostic: string;
}

// Address forms a recipient line may hold: bare, <bracketed> or "quoted".
const ADDR = String.raw`["'<]*([^\s"'<>()\[\]:;,]+@[^\s"'<>()\[\]:;,]+?)[>"']*`;
// Bullets MTAs put before a listed address: "* ", "- ", and Mimecast's "-- ".
const BARE = new RegExp(String.raw`^\s*(?:(?:[*•]|-{1,2})\s+)?${ADDR}\s*:?\s*$`);
const BRACKETED =
  /^\s*<([^\s<>]+@[^\s<>]+)>\s*(?:\((?:expanded|generated) from:? <?([^\s<>()]+)>?\))?\s*(?::|\.\.\.)\s*(.*)$/;
// Sendmail's transcript summary: "550 <user@example.org>... User unknown".
const SENDMAIL_ERROR = /^\s*\d{3}\s+<([^\s<>]+@[^\s<>]+)>\.\.\.\s*(.*)$/;
const LEADING = /^\s{0,8}"?([^\s"'<>()[\]:;,]+@[^\s"'<>()[\]:;,]+?)"?(?:\s+<[^>]*>)?\s*:\s+(\S.*)$/;
const LEADING_WORDS = /^\s{0,8}<?([^\s"'<>()[\]:;,]+@[^\s"'<>()[\]:;,]+?)>?,?\s+(\S.*)$/;
const LABELLED =
  /^\s*(?:recipient(?:\s+address)?|original[- ]recipient|final[- ]recipient|failed recipients?|e-?mail address|destinataire|empf[aä]nger|invalid recipient|unknown recipient)s?\s*:\s*(?:rfc822\s*;)?\s*<?([^\s<>]+@[^\s<>]+)>?\s*(.*)$/i;
const ADDRESS_FIELD = /\baddress\s*:\s*<([^\s<>]+@[^\s<>]+)>/i;
const DELIVER_TO = /\bdeliver(?:ed|y|ing)?\b[^<>@]{0,60}?\bto:?\s*<([^\s<>]+@[^\s<>]+)>/i;
// "... wasn't delivered to user@example.org because ...", "rejected recipient <user@example.org>",
// "The following recipients returned permanent errors: user@example.org. Reason: ..."
const NOT_DELIVERED_TO =
  /\b(?:wasn't|was not|not been|couldn't be|could not be|cannot be|can't be)\s+delivered\s+to:?\s+<?([^\s<>"'():;,]+@[^\s<>"'():;,]+)>?/i;
const RECIPIENT_NAMED = /\brecipient:?\s+<([^\s<>]+@[^\s<>]+)>/i;
const RECIPIENTS_LISTED =
  /\b(?:recipients?|address(?:es)?)\b[^:<>@]{0,60}:\s*<?([^\s<>"'():;,]+@[^\s<>"'():;,]+?)>?[.,;]\s+\S/i;
const DATED = /^\s*<?([^\s<>]+@[^\s<>]+?)>?\s+on\s+\S.*$/;
const TRAILING = /^(.*?)\s*<?([^\s<>"'():;,]+@[^\s<>"'():;,]+?)>?\s*[.:]?\s*$/;
// Words that make a line ending in an address a failure statement about that address.
const FAILURE_WORDS =
  /deliver|recipient|address|fail|could not|couldn't|unable|rejected|error|mailbox|exceed|quota|unknown|not found|not exist|does not|invalid|disabled|problem|returned/i;
// Lines of an SMTP transcript or a diagnostic: an address in them is an argument, not a heading.
const NOT_A_HEADING =
  /^\s*(?:>>>|<<<|\d{3}[\s-]|[245]\.\d{1,3}\.\d{1,3}\b|\(|remote host said|host\s|said:|smtp error|diagnostic|sent\s|received\s)/i;
const SMTP_ARGUMENT = /(?:rcpt to|mail from)\s*:?\s*$/i;
const GENERATED = /^\s*\(?(?:ultimately )?generated (?:by|from) <?([^\s<>()]+@[^\s<>()]+?)>?\)?\s*$/;
// Active!hunter lists each recipient as ">>> user@example.org <user@example.org>".
const ARROWED = /^>>>\s+([^\s<>]+@[^\s<>]+)\s+<[^\s<>]+>\s*$/;
const RCPT_TO = /\bRCPT TO:\s*<?([^\s<>]+@[^\s<>]+?)>?(?:\s|$)/i;

interface Heading {
  email: string;
  alias: string;
  /** Diagnostic text on the heading line itself, before and after the address. */
  text: string;
  /** The entry's explanation precedes the heading line (Sendmail transcripts) instead of following it. */
  before?: boolean;
  /** The heading line carries the explanation itself: the entry ends with its paragraph. */
  inline?: boolean;
}

/** Reads a line as the heading of one recipient's entry, or null. */
export function readHeading(line: string): Heading | null {
  if (!line.includes("@") || line.length > 400) return null;
  let m = BRACKETED.exec(line);
  if (m) return heading(m[1], m[2], m[3], Boolean(m[3]?.trim()));
  m = SENDMAIL_ERROR.exec(line);
  if (m) {
    const h = heading(m[1], "", line.trim());
    return h && { ...h, before: true };
  }
  m = BARE.exec(line) ?? ARROWED.exec(line);
  if (m) return heading(m[1], "", "");
  m = LABELLED.exec(line);
  if (m) return heading(m[1], "", m[2]);
  m = ADDRESS_FIELD.exec(line) ?? DELIVER_TO.exec(line) ?? RECIPIENT_NAMED.exec(line);
  m ??= NOT_DELIVERED_TO.exec(line) ?? RECIPIENTS_LISTED.exec(line);
  if (m) return heading(m[1], "", line.replace(/\s*<?[^\s<>]+@[^\s<>]+>?\s*/, " "));
  m = DATED.exec(line);
  if (m) return heading(m[1], "", "");
  if (NOT_A_HEADING.test(line)) return null;
  m = LEADING.exec(line);
  if (m) return heading(m[1], "", m[2], true);
  m = LEADING_WORDS.exec(line);
  if (m && (FAILURE_WORDS.test(m[2] ?? "") || /\b\d{3}\b|[245]\.\d\.\d/.test(m[2] ?? ""))) {
    return heading(m[1], "", m[2], true);
  }
  m = TRAILING.exec(line);
  const lead = m?.[1] ?? "";
  if (m && lead && FAILURE_WORDS.test(lead) && !SMTP_ARGUMENT.test(lead) && !lead.includes("@")) {
    return heading(m[2], "", lead);
  }
  return null;
}

function heading(
  email: string | undefined,
  alias: string | undefined,
  text: string | undefined,
  inline = false,
): Heading | null {
  const e = extractAddress(email ?? "");
  if (!e || !isAddress(e)) return null;
  return { email: e, alias: extractAddress(alias ?? ""), text: (text ?? "").trim(), inline };
}

/** True when a diagnostic says something beyond repeating an address. */
export function substantive(text: string): boolean {
  return (
    /\d{3}|[245]\.\d\.\d/.test(text) || text.replace(/\S+@\S+/g, "").replace(/[^\p{L}]/gu, "").length >= 12
  );
}

/** No notice lists more recipients than this; a longer list is noise or an attack. */
const MAX_ENTRIES = 500;

interface Entry extends TextRecipient {
  before: boolean;
  inline: boolean;
}

/**
 * Finds the failed recipients of a free-form notice and the text that explains each failure.
 * `exclude` holds addresses that cannot be a failed recipient (the notice's own sender and
 * addressee, the original sender).
 */
export function parseTextNotice(body: string, exclude: Set<string>): TextRecipient[] {
  const lines = body.replace(/\t/g, " ").split("\n");
  const found: Entry[] = [];
  let preamble: string[] = [];
  // Lines after an entry whose explanation precedes its heading: they belong to the next entry.
  let pending: string[] = [];
  let current: Entry | undefined;
  let closed = false;
  for (const line of lines) {
    // Exim's "generated by <address>": the alias an entry came from, or the entry itself when the
    // line above named a file or a pipe rather than an address.
    const generated = GENERATED.exec(line);
    if (generated && current && !current.before) {
      current.alias ||= extractAddress(generated[1] ?? "");
      current.diagnostic += `\n${line}`;
      continue;
    }
    const h = generated ? heading(generated[1], "", "") : readHeading(line);
    const seen = h ? found.find((f) => f.email === h.email) : undefined;
    if (h && seen && seen !== current) {
      // The same address again further down (a notice repeated in another language, a summary
      // after a transcript): what follows is about that recipient again.
      current = seen;
      closed = false;
      continue;
    }
    if (h && !seen && !exclude.has(h.email) && found.length < MAX_ENTRIES) {
      let diagnostic = h.text;
      if (h.before) {
        diagnostic = [...(current ? pending : preamble), h.text].join("\n");
        if (!current) preamble = [];
      } else if (current) {
        current.diagnostic += `\n${pending.join("\n")}`;
      }
      pending = [];
      current = {
        email: h.email,
        alias: h.alias,
        diagnostic,
        before: Boolean(h.before),
        inline: Boolean(h.inline),
      };
      found.push(current);
      closed = false;
      continue;
    }
    if (current?.inline && line.trim() === "") closed = true;
    if (closed) continue;
    if (current?.before) pending.push(line);
    else if (current) current.diagnostic += `\n${line}`;
    else preamble.push(line);
  }
  const last = found[found.length - 1];
  if (last) last.diagnostic += `\n${pending.join("\n")}`;
  if (found.length === 0) return fromTranscript(lines, exclude);
  return withExplanations(found, preamble);
}

/** Each entry with its tidied diagnostic, or the preamble's explanation when it says nothing itself. */
function withExplanations(found: Entry[], preamble: string[]): TextRecipient[] {
  return found.map((r) => {
    let diagnostic = tidy(r.diagnostic);
    // The explanation sometimes comes before the list of addresses (IMail, au, Notes).
    if (!substantive(diagnostic)) diagnostic = tidy(`${lastParagraph(preamble.join("\n"))} ${diagnostic}`);
    return { email: r.email, alias: r.alias, diagnostic };
  });
}

/** Recipients of a bare SMTP transcript: each RCPT TO and the replies that follow it. */
function fromTranscript(lines: string[], exclude: Set<string>): TextRecipient[] {
  const out: TextRecipient[] = [];
  for (const line of lines) {
    const m = RCPT_TO.exec(line);
    const email = m ? extractAddress(m[1] ?? "") : "";
    if (email && !exclude.has(email) && !out.some((r) => r.email === email)) {
      out.push({ email, alias: "", diagnostic: "" });
      continue;
    }
    const current = out[out.length - 1];
    if (current) current.diagnostic += `\n${line}`;
  }
  // A lone recipient's transcript is often explained by the lines above it too.
  if (out.length === 1 && out[0]) return [{ ...out[0], diagnostic: tidy(lines.join("\n")) }];
  return out.map((r) => ({ ...r, diagnostic: tidy(r.diagnostic) }));
}

/** The paragraph above the list that explains it, or the whole preamble when that one does not. */
function lastParagraph(text: string): string {
  const paragraphs = text.trim().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? "";
  return substantive(last) ? last : paragraphs.slice(-4).join("\n");
}

/** Collapses whitespace and caps the length of a diagnostic. */
export function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 2000);
}
