import { createMimeMessage, type MIMEMessage } from "mimetext/browser";
import { base64Lines, quotedPrintable } from "./body-encoding";
import { encodeWords, randomHex } from "./header-words";
import {
  domainOf,
  foldHeader,
  formatDate,
  formatMailbox,
  type MailAddress,
  newMessageId,
  parseMailbox,
  setAddressHeaders,
  setHeaderText,
} from "./mime";

/** An image the HTML shows by `cid:` URL (multipart/related). */
export interface InlineImage {
  cid: string;
  contentType: string;
  content: Uint8Array;
  filename?: string;
}

/** A file attached to the message (multipart/mixed). */
export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** A rendered marketing or transactional message and what its headers need. */
export interface ComposeInput {
  from: MailAddress | string;
  to: MailAddress | string | Array<MailAddress | string>;
  replyTo?: MailAddress | string;
  subject: string;
  html: string;
  text: string;
  /** The Message-ID's domain; the From domain unless given. */
  sendingDomain?: string;
  messageId?: string;
  date?: Date;
  /** List-Unsubscribe: the one-click URL (RFC 8058, also sent as List-Unsubscribe-Post) and a mailbox. */
  unsubscribe?: { url?: string; mailto?: string };
  /** List-ID (RFC 2919): an id without a dot gets the sending domain appended. */
  list?: { id: string; name?: string };
  /** Feedback-ID for Gmail's feedback loop: `campaign:kind:sender`. */
  feedbackId?: { campaign: string; kind: string; sender?: string };
  /** The envelope sender becomes `bounces+<token>@<domain>`; else the From address. */
  bounce?: { token: string; domain: string };
  /** Extra headers, already RFC 5322-safe ASCII; folded when long. */
  headers?: Record<string, string>;
  inlineImages?: InlineImage[];
  attachments?: Attachment[];
}

/** The composed message: `from` is the envelope sender, so this fits `OutgoingMessage` as it is. */
export interface ComposedMessage {
  raw: string;
  messageId: string;
  envelopeFrom: string;
  from: string;
  to: string[];
}

const LOCAL_PART = /^[A-Za-z0-9._=-]+$/;

/**
 * Builds the full message with mimetext: multipart/alternative text + HTML (quoted-printable),
 * inside multipart/related with inline images and multipart/mixed with attachments; UTF-8
 * headers per RFC 2047; Message-ID on the sending domain; List-Unsubscribe (+ one-click Post),
 * List-ID, Feedback-ID, Reply-To. No Return-Path header: the receiving MTA writes it from
 * `envelopeFrom`.
 */
export function composeMessage(input: ComposeInput): ComposedMessage {
  const from = parseMailbox(input.from);
  const to = (Array.isArray(input.to) ? input.to : [input.to]).map(parseMailbox);
  const sendingDomain = input.sendingDomain ?? domainOf(from.address);
  const messageId = input.messageId ?? newMessageId(sendingDomain);

  const msg = createMimeMessage();
  // 96 random bits each (mimetext's Math.random boundaries can be a single letter).
  msg.boundaries = {
    mixed: `ep_${randomHex(12)}`,
    alt: `ep_${randomHex(12)}`,
    related: `ep_${randomHex(12)}`,
  };
  setAddressHeaders(msg, from, to, input.subject);
  setHeaderText(msg, "Date", formatDate(input.date ?? new Date()));
  setHeaderText(msg, "Message-ID", messageId);
  if (input.replyTo) setHeaderText(msg, "Reply-To", formatMailbox(parseMailbox(input.replyTo)));
  for (const [name, value] of listHeaders(input, sendingDomain))
    setHeaderText(msg, name, foldHeader(name, value));
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (/[\r\n]/.test(value)) throw new Error(`header ${name} contains a line break`);
    setHeaderText(msg, name, foldHeader(name, value));
  }

  msg.addMessage({
    contentType: "text/plain",
    encoding: "quoted-printable",
    data: quotedPrintable(input.text),
  });
  msg.addMessage({
    contentType: "text/html",
    encoding: "quoted-printable",
    data: quotedPrintable(input.html),
  });
  for (const image of input.inlineImages ?? [])
    addPart(msg, image.filename ?? image.cid, image.contentType, image.content, image.cid);
  for (const file of input.attachments ?? []) addPart(msg, file.filename, file.contentType, file.content);

  const envelopeFrom = input.bounce ? bounceAddress(input.bounce) : from.address;
  return {
    raw: `${msg.asRaw()}\r\n`,
    messageId,
    envelopeFrom,
    from: envelopeFrom,
    to: to.map((t) => t.address),
  };
}

/** The VERP-style envelope sender that carries a signed per-send token. */
export function bounceAddress(bounce: { token: string; domain: string }): string {
  if (!LOCAL_PART.test(bounce.token)) throw new Error("bounce token must be letters, digits and ._=-");
  return `bounces+${bounce.token}@${bounce.domain}`;
}

function listHeaders(input: ComposeInput, sendingDomain: string): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const unsubscribe: string[] = [];
  if (input.unsubscribe?.url) unsubscribe.push(`<${input.unsubscribe.url}>`);
  if (input.unsubscribe?.mailto) unsubscribe.push(`<mailto:${input.unsubscribe.mailto}?subject=unsubscribe>`);
  if (unsubscribe.length > 0) headers.push(["List-Unsubscribe", unsubscribe.join(", ")]);
  if (input.unsubscribe?.url) headers.push(["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"]);
  if (input.list) {
    const id = input.list.id.includes(".") ? input.list.id : `${input.list.id}.${sendingDomain}`;
    const name = input.list.name?.replace(/["\\<>\r\n]/g, "") ?? "";
    const phrase = !name ? "" : /^[\x20-\x7e]*$/.test(name) ? `"${name}" ` : `${encodeWords(name)} `;
    headers.push(["List-ID", `${phrase}<${id}>`]);
  }
  if (input.feedbackId) {
    const f = input.feedbackId;
    // Colons separate the fields of a Feedback-ID, so none may appear inside one.
    const parts = [f.campaign, f.kind, f.sender ?? "edgepost"].map((p) => p.replace(/[:\s]/g, ""));
    headers.push(["Feedback-ID", parts.join(":")]);
  }
  for (const [name, value] of headers) {
    if (/[\r\n]/.test(value)) throw new Error(`header ${name} contains a line break`);
  }
  return headers;
}

function addPart(
  msg: MIMEMessage,
  filename: string,
  contentType: string,
  content: Uint8Array,
  cid?: string,
): void {
  const part = msg.addAttachment({
    filename: "file",
    contentType,
    data: base64Lines(content),
    inline: cid !== undefined,
    headers: cid === undefined ? {} : { "Content-ID": `<${cid.replace(/^<|>$/g, "")}>` },
  });
  // mimetext writes the file name into both headers unencoded; RFC 2231 carries any name.
  const disposition = cid === undefined ? "attachment" : "inline";
  part.setHeader("Content-Type", `${contentType}; name="${asciiName(filename)}"`);
  part.setHeader("Content-Disposition", `${disposition}; ${filenameParam(filename)}`);
}

const asciiName = (name: string) => name.replace(/[^\x20-\x7e]|["\\]/g, "_");

function filenameParam(full: string): string {
  // Long names would need RFC 2231 continuations; 150 characters is plenty for a file name.
  const name = [...full].slice(-150).join("");
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)) return `filename="${name}"`;
  const bytes = new TextEncoder().encode(name);
  let pct = "";
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    pct += /[A-Za-z0-9!#$&+.^_`|~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return `filename*=UTF-8''${pct}`;
}
