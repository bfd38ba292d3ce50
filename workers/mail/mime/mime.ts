import { createMimeMessage, type MIMEMessage } from "mimetext/browser";
import { encodeQuotedPrintable } from "./encode";
import { encodeWords, randomHex } from "./header-words";

/** A mailbox: an address and an optional display name. */
export interface MailAddress {
  name?: string;
  address: string;
}

/** The input of `buildMessage`: one HTML + text message to one or more recipients. */
export interface SimpleMessage {
  from: MailAddress | string;
  to: MailAddress | string | Array<MailAddress | string>;
  subject: string;
  html: string;
  text: string;
  replyTo?: MailAddress | string;
  /** Extra headers, set as given (values must already be RFC 5322-safe ASCII). */
  headers?: Record<string, string>;
  date?: Date;
  /** Defaults to a random id on the sender's domain. */
  messageId?: string;
}

/** The built message: the raw RFC 5322 text (CRLF line ends) and what the envelope needs. */
export interface BuiltMessage {
  raw: string;
  messageId: string;
  from: string;
  to: string[];
}

/** Parses `Name <addr@host>` or a bare address; throws on anything without an `@`. */
export function parseMailbox(input: MailAddress | string): MailAddress {
  if (typeof input !== "string") return input;
  const text = input.trim();
  const angle = /^(.*?)\s*<([^<>\s]+)>$/.exec(text);
  const name = angle ? (angle[1] ?? "").trim().replace(/^"(.*)"$/, "$1") : "";
  const address = angle ? (angle[2] ?? "") : text;
  if (!/^[^@\s<>]+@[^@\s<>]+$/.test(address)) throw new Error(`not an email address: ${input}`);
  return name ? { name, address } : { address };
}

/** The domain part of an address (lowercased); "localhost" if there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "localhost" : address.slice(at + 1).toLowerCase();
}

/** A new globally unique Message-ID (with angle brackets) on `domain`. */
export function newMessageId(domain: string): string {
  return `<${randomHex(16)}@${domain}>`;
}

/** Builds a multipart/alternative (text + HTML) message with UTF-8 headers, Date and Message-ID. */
export function buildMessage(input: SimpleMessage): BuiltMessage {
  const from = parseMailbox(input.from);
  const to = (Array.isArray(input.to) ? input.to : [input.to]).map(parseMailbox);
  const messageId = input.messageId ?? newMessageId(domainOf(from.address));

  const msg = createMimeMessage();
  setAddressHeaders(msg, from, to, input.subject);
  msg.setHeader("Message-ID", messageId);
  if (input.date) msg.setHeader("Date", formatDate(input.date));
  if (input.replyTo) setHeaderText(msg, "Reply-To", formatMailbox(parseMailbox(input.replyTo)));
  for (const [name, value] of Object.entries(input.headers ?? {})) msg.setHeader(name, value);

  // Quoted-printable keeps every line under 78 characters (RFC 5322) whatever the HTML looks like.
  msg.addMessage({
    contentType: "text/plain",
    encoding: "quoted-printable",
    data: encodeQuotedPrintable(input.text),
  });
  msg.addMessage({
    contentType: "text/html",
    encoding: "quoted-printable",
    data: encodeQuotedPrintable(input.html),
  });
  return { raw: `${msg.asRaw()}\r\n`, messageId, from: from.address, to: to.map((t) => t.address) };
}

/** RFC 5322 date-time in UTC, e.g. "Sat, 28 Nov 2026 13:05:00 +0000". */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

/** A header-ready mailbox: the name RFC 2047-encoded (or quoted) when present. */
export function formatMailbox(box: MailAddress): string {
  if (!box.name) return `<${box.address}>`;
  const name = /^[\x20-\x7e]*$/.test(box.name)
    ? `"${box.name.replace(/["\\]/g, "\\$&")}"`
    : encodeWords(box.name);
  return `${name} <${box.address}>`;
}

const toMimetext = (box: MailAddress) =>
  box.name ? { addr: box.address, name: box.name } : { addr: box.address };

/** Mailboxes for an address header, one per line after the first. */
export function formatMailboxList(boxes: MailAddress[]): string {
  return boxes.map(formatMailbox).join(",\r\n ");
}

/**
 * Sets From, To and Subject on a mimetext message with our own encoding: mimetext writes a
 * display name or subject as one base64 word, past RFC 2047's 75-character limit when long, and
 * encodes plain ASCII too; these fold into short words only where needed.
 */
export function setAddressHeaders(
  msg: MIMEMessage,
  from: MailAddress,
  to: MailAddress[],
  subject: string,
): void {
  msg.setSender(toMimetext(from));
  msg.setTo(to.map(toMimetext));
  msg.setSubject(subject);
  setHeaderText(msg, "From", formatMailbox(from));
  setHeaderText(msg, "To", formatMailboxList(to));
  setHeaderText(msg, "Subject", encodeWords(subject));
}

/**
 * Sets a header to text that is already RFC 5322-ready (encoded, folded), keeping mimetext's
 * order for the headers it knows; its own validation would refuse a string Reply-To.
 */
export function setHeaderText(msg: MIMEMessage, name: string, text: string): void {
  const field = msg.headers.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (!field) {
    msg.headers.setCustom({ name, value: text, dump: () => text });
    return;
  }
  // A Mailbox value stays: mimetext's own Message-ID generator reads the From domain from it.
  if (field.value === undefined || typeof field.value === "string") field.value = text;
  field.dump = () => text;
  delete field.validate;
}

/**
 * Folds an ASCII header value at spaces so lines stay within 78 characters where a space allows
 * (RFC 5322 2.2.3); throws when a line would still pass the 998-octet limit.
 */
export function foldHeader(name: string, value: string): string {
  const words = value.split(" ");
  let out = "";
  let line = name.length + 2;
  for (const [k, word] of words.entries()) {
    if (k > 0 && line + 1 + word.length > 78 && out.length > 0) {
      out += "\r\n ";
      line = 1;
    } else if (k > 0) {
      out += " ";
      line++;
    }
    out += word;
    line += word.length;
    if (line > 998) throw new Error(`header ${name} has a line longer than 998 characters`);
  }
  return out;
}
