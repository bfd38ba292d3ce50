import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import PostalMime, { type Address, type Attachment, type Email } from "postal-mime";

/** SMTP envelope as the client gave it: the only place Bcc recipients show up. */
export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
}

/** How the client connected: handy for checking that the app really used STARTTLS and AUTH. */
export interface Connection {
  tls: boolean;
  authUser: string | null;
}

/** What the JSON sidecar beside each .eml holds. */
interface Sidecar extends Partial<Connection> {
  envelope: Envelope;
  receivedAt: string;
  size: number;
}

/** One message in a listing: envelope, receipt facts and a few parsed headers. */
export interface StoredMessage {
  id: string;
  /** Envelope sender (MAIL FROM); empty for a null reverse-path. */
  from: string;
  /** Envelope recipients (RCPT TO), Bcc included. */
  to: string[];
  subject: string;
  /** The Date header, as ISO 8601 when it parses, or null. */
  date: string | null;
  receivedAt: string;
  size: number;
  messageId: string | null;
}

export interface AttachmentInfo {
  filename: string | null;
  mimeType: string;
  disposition: string | null;
  contentId: string | null;
  size: number;
}

/** A message with its parsed body; `headers` maps lower-case names to every value in order. */
export interface MessageDetail extends StoredMessage, Connection {
  headers: Record<string, string[]>;
  headerFrom: string | null;
  headerTo: string | null;
  text: string | null;
  html: string | null;
  attachments: AttachmentInfo[];
}

// Fixed-width millisecond stamp, so ids sort by arrival as plain strings.
const ID_PATTERN = /^\d{13}-[0-9a-f]{8}$/;

/** Whether `id` names a message file (also keeps request paths out of other directories). */
export function isMessageId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function formatAddress(address: Address): string {
  if (address.group) return `${address.name}: ${address.group.map(formatAddress).join(", ")};`;
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

function byteSize(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
}

/** Messages kept as `<dir>/<id>.eml` plus `<dir>/<id>.json`; the disk is the only state. */
export class MailStore {
  private lastStamp = 0;
  // Messages never change once stored, so a parsed summary stays valid until it is deleted.
  private readonly summaries = new Map<string, StoredMessage>();

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Writes the raw bytes first and the sidecar last, so a listing never sees half a message. */
  async save(raw: Buffer, envelope: Envelope, connection: Connection): Promise<string> {
    // Strictly increasing within a process, so two messages in one millisecond keep their order.
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const id = `${String(this.lastStamp).padStart(13, "0")}-${randomBytes(4).toString("hex")}`;
    const sidecar: Sidecar = {
      envelope,
      receivedAt: new Date().toISOString(),
      size: raw.byteLength,
      ...connection,
    };
    await writeFile(join(this.dir, `${id}.eml`), raw);
    const tmp = join(this.dir, `${id}.json.tmp`);
    await writeFile(tmp, `${JSON.stringify(sidecar, null, 2)}\n`);
    await rename(tmp, join(this.dir, `${id}.json`));
    return id;
  }

  /** Every complete message, newest first. */
  async list(): Promise<StoredMessage[]> {
    const names = await readdir(this.dir).catch(() => []);
    const ids = names
      .filter((n) => n.endsWith(".json") && isMessageId(n.slice(0, -5)))
      .map((n) => n.slice(0, -5))
      .sort()
      .reverse();
    const found = await Promise.all(ids.map((id) => this.summary(id)));
    return found.filter((m): m is StoredMessage => m !== null);
  }

  private async summary(id: string): Promise<StoredMessage | null> {
    const cached = this.summaries.get(id);
    if (cached) return cached;
    const detail = await this.get(id);
    if (!detail) return null;
    const { from, to, subject, date, receivedAt, size, messageId } = detail;
    const summary = { id, from, to, subject, date, receivedAt, size, messageId };
    this.summaries.set(id, summary);
    return summary;
  }

  async raw(id: string): Promise<Buffer | null> {
    if (!isMessageId(id)) return null;
    return readFile(join(this.dir, `${id}.eml`)).catch(() => null);
  }

  async get(id: string): Promise<MessageDetail | null> {
    if (!isMessageId(id)) return null;
    const [raw, meta] = await Promise.all([
      this.raw(id),
      readFile(join(this.dir, `${id}.json`), "utf8").catch(() => null),
    ]);
    if (!raw || meta === null) return null;
    const sidecar = JSON.parse(meta) as Sidecar;
    return toDetail(id, sidecar, await PostalMime.parse(raw));
  }

  /** One attachment's decoded bytes, by its position in the message. */
  async attachment(id: string, index: number): Promise<{ info: AttachmentInfo; content: Buffer } | null> {
    const raw = await this.raw(id);
    if (!raw) return null;
    const found = (await PostalMime.parse(raw)).attachments[index];
    if (!found) return null;
    const { content } = found;
    const bytes = typeof content === "string" ? Buffer.from(content) : Buffer.from(new Uint8Array(content));
    return { info: attachmentInfo(found), content: bytes };
  }

  /** Removes every message file (and stray temp files), leaving the directory. */
  async clear(): Promise<void> {
    const names = await readdir(this.dir).catch(() => []);
    const ours = names.filter((n) => isMessageId(n.split(".")[0] ?? ""));
    await Promise.all(ours.map((n) => rm(join(this.dir, n), { force: true })));
    this.summaries.clear();
  }
}

function toDetail(id: string, sidecar: Sidecar, email: Email): MessageDetail {
  const headers: Record<string, string[]> = {};
  for (const h of email.headers) {
    const values = headers[h.key] ?? [];
    values.push(h.value);
    headers[h.key] = values;
  }
  return {
    id,
    from: sidecar.envelope.mailFrom,
    to: sidecar.envelope.rcptTo,
    subject: email.subject ?? "",
    date: email.date ?? null,
    receivedAt: sidecar.receivedAt,
    size: sidecar.size,
    messageId: email.messageId ?? null,
    tls: sidecar.tls ?? false,
    authUser: sidecar.authUser ?? null,
    headers,
    headerFrom: email.from ? formatAddress(email.from) : null,
    headerTo: email.to ? email.to.map(formatAddress).join(", ") : null,
    text: email.text ?? null,
    html: email.html ?? null,
    attachments: email.attachments.map(attachmentInfo),
  };
}

function attachmentInfo(a: Attachment): AttachmentInfo {
  return {
    filename: a.filename,
    mimeType: a.mimeType,
    disposition: a.disposition,
    contentId: a.contentId ?? null,
    size: byteSize(a.content),
  };
}
