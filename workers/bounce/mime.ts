// Reading a notice: its headers, the human-readable text, the machine-readable report parts
// (delivery-status, feedback-report) and the returned original message, all decoded to text.

import PostalMime, { decodeWords } from "postal-mime";
import { type HeaderMap, parseHeaderBlock } from "./headers";

/** Larger inputs are cut: a notice's own parts come first and the tail is the returned message. */
const MAX_INPUT = 2 * 1024 * 1024;

export interface Notice {
  headers: HeaderMap;
  subject: string;
  /** The decoded text/plain parts (HTML converted when there is no plain text), LF line ends. */
  text: string;
  /** Bodies of message/delivery-status parts. */
  reports: string[];
  /** Bodies of message/feedback-report parts. */
  feedback: string[];
  /** Returned original messages (message/rfc822) or their headers (text/rfc822-headers). */
  originals: string[];
  contentType: string;
}

const decoder = new TextDecoder("utf-8");

function toText(content: ArrayBuffer | Uint8Array | string): string {
  if (typeof content === "string") return content;
  return decoder.decode(content instanceof Uint8Array ? content : new Uint8Array(content));
}

function lf(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Plain text of an HTML body: tags dropped, block ends as line breaks, common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, "\n")
    .replace(/<[^>]{0,2000}>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function truncate(raw: string | Uint8Array | ArrayBuffer): string | Uint8Array {
  if (typeof raw === "string") return raw.length > MAX_INPUT ? raw.slice(0, MAX_INPUT) : raw;
  const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
  return bytes.length > MAX_INPUT ? bytes.subarray(0, MAX_INPUT) : bytes;
}

/** Decodes a raw message; a message postal-mime cannot read is taken as headers plus plain text. */
export async function readNotice(raw: string | Uint8Array | ArrayBuffer): Promise<Notice> {
  let input = truncate(raw);
  let rawText = lf(typeof input === "string" ? input : decoder.decode(input));
  if (rawText.startsWith("From ")) {
    // An mbox "From " envelope line is not a header; postal-mime would take it as the body start.
    rawText = rawText.slice(rawText.indexOf("\n") + 1);
    input = typeof input === "string" ? rawText : input.subarray(input.indexOf(0x0a) + 1);
  }
  const split = rawText.indexOf("\n\n");
  const headers = parseHeaderBlock(rawText);
  const notice: Notice = {
    headers,
    subject: decodeWords(headers.get("subject")?.[0] ?? "").trim(),
    text: split >= 0 ? rawText.slice(split + 2) : "",
    reports: [],
    feedback: [],
    originals: [],
    contentType: (headers.get("content-type")?.[0] ?? "").toLowerCase(),
  };
  try {
    const email = await PostalMime.parse(input, {
      forceRfc822Attachments: true,
      attachmentEncoding: "arraybuffer",
    });
    const text = lf(email.text ?? (email.html ? htmlToText(email.html) : ""));
    // A multipart type without parts (the boundary never appears) leaves the raw body as text.
    if (text.trim() || email.attachments.length > 0) notice.text = text;
    if (email.subject) notice.subject = email.subject.trim();
    for (const part of email.attachments) {
      const type = part.mimeType.toLowerCase();
      const body = lf(toText(part.content));
      if (type === "message/delivery-status" || type === "message/global-delivery-status")
        notice.reports.push(body);
      else if (type === "message/feedback-report") notice.feedback.push(body);
      else if (/^(message\/(rfc822|global|partial|global-headers)|text\/rfc822-headers?)$/.test(type)) {
        notice.originals.push(body);
      } else if (type === "text/plain" && !notice.text) notice.text = body;
    }
  } catch {
    // Malformed MIME: keep the raw body as text, which the text parsers can still read.
  }
  return notice;
}
