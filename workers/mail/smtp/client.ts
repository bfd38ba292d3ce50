import { replyError, SmtpConnection, type Transport } from "./connection";
import { encodeData, encodeDataInfo } from "./data";
import { SmtpError, type SmtpFailure } from "./errors";
import { describeReply, type SmtpReply } from "./reply";
import {
  failed,
  failureOf,
  type MessageResult,
  type OutgoingMessage,
  type RecipientResult,
  recipientResult,
  rejectAll,
  toFailure,
} from "./result";

export { SmtpError, type SmtpFailure, type SmtpStep } from "./errors";
export type { MessageResult, OutgoingMessage, RecipientResult } from "./result";

const encoder = new TextEncoder();

/**
 * "tls": implicit TLS (port 465). "starttls": STARTTLS required (587). "opportunistic": STARTTLS
 * when offered, else plain. "none": plain (local development only). Whatever the setting, AUTH is
 * sent only over TLS or to a loopback host (`isLoopbackHost`).
 */
export type SmtpSecurity = "none" | "starttls" | "opportunistic" | "tls";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/** localhost, 127.0.0.0/8 or ::1: traffic that never leaves the machine. */
export const isLoopbackHost = (host: string): boolean => LOOPBACK.test(host);

/** Milliseconds allowed for each step; a step that takes longer fails as temporary. */
export interface SmtpTimeouts {
  connect: number;
  greeting: number;
  /** Each command and its reply (EHLO, STARTTLS, AUTH, MAIL, RCPT, RSET, QUIT). */
  command: number;
  /** Sending the message body and waiting for the final reply. */
  data: number;
}

export const DEFAULT_TIMEOUTS: SmtpTimeouts = {
  connect: 10_000,
  greeting: 30_000,
  command: 30_000,
  data: 120_000,
};

export interface SmtpOptions {
  host: string;
  port: number;
  security: SmtpSecurity;
  auth?: { user: string; pass: string; method?: "PLAIN" | "LOGIN" };
  /** The name sent with EHLO/HELO: this system's host name. Defaults to "localhost". */
  clientName?: string;
  /**
   * The name the certificate must carry after STARTTLS; defaults to `host`. Implicit TLS always
   * checks `host` itself: workerd's connect() takes no separate server name.
   */
  servername?: string;
  timeouts?: Partial<SmtpTimeouts>;
}

/** One message's transaction as prepared by `send`. */
interface Transaction {
  message: OutgoingMessage;
  data: Uint8Array;
  /** RSET first: not the first transaction on this connection. */
  reset: boolean;
  mail: string;
  mayCommit?: () => boolean;
}

export interface SendOptions {
  /**
   * Asked right before the end of data, the moment the server takes responsibility for the
   * message. `false` holds the message back: the connection is dropped (the only way to abandon
   * DATA) and the result says `withheld`. The send ledger answers it with "is my claim still
   * mine?", so a sender whose lease may have passed to another never commits a message.
   */
  mayCommit?: () => boolean;
}

const WITHHELD = "held back before the end of data: the claim on this send could not be confirmed";

/**
 * An SMTP client session on `cloudflare:sockets`. `connect` runs greeting, EHLO, STARTTLS and AUTH;
 * `send` may be called many times (one transaction each, RSET between); `close` sends QUIT.
 * Reply failures for one message are results; a broken connection throws `SmtpError`.
 */
export class SmtpClient {
  /** EHLO keywords (upper case) and their parameters; empty after a HELO fallback. */
  readonly capabilities = new Map<string, string>();
  secure = false;
  authenticated = false;
  /**
   * True while a transaction may be open on the server (MAIL accepted but no final DATA reply):
   * only then does the next message start with RSET. After a complete transaction the server has
   * reset itself (RFC 5321 4.1.4), and an RSET per message would cost a reply each time.
   */
  private open = false;

  private constructor(
    private readonly conn: SmtpConnection,
    private readonly options: SmtpOptions,
    private readonly timeouts: SmtpTimeouts,
  ) {}

  /** Connects and prepares the session; throws `SmtpError` naming the step that failed. */
  static async connect(options: SmtpOptions): Promise<SmtpClient> {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const transport: Transport =
      options.security === "tls" ? "on" : options.security === "none" ? "off" : "starttls";
    const conn = await SmtpConnection.open(options.host, options.port, transport, timeouts.connect);
    const client = new SmtpClient(conn, options, timeouts);
    try {
      await client.handshake();
    } catch (err) {
      await client.close(); // QUIT politely when the connection still works (e.g. after a 535)
      throw err;
    }
    return client;
  }

  /** The largest message the server accepts (SIZE), or undefined when it sets no limit. */
  get maxSize(): number | undefined {
    const size = Number(this.capabilities.get("SIZE"));
    return size > 0 ? size : undefined;
  }

  private async handshake(): Promise<void> {
    const { conn, timeouts } = this;
    const greeting = await conn.read("greeting", timeouts.greeting);
    if (greeting.code !== 220) throw replyError("greeting", greeting);
    this.secure = this.options.security === "tls";
    await this.hello();
    if (this.options.security === "starttls" || this.options.security === "opportunistic") {
      if (this.capabilities.has("STARTTLS")) {
        const reply = await conn.command("tls", "STARTTLS", timeouts.command);
        if (reply.code !== 220) throw replyError("tls", reply, "STARTTLS refused");
        await conn.startTls(this.options.servername ?? this.options.host, timeouts.command);
        this.secure = true;
        await this.hello(); // RFC 3207: forget what was learnt before TLS
      } else if (this.options.security === "starttls") {
        throw new SmtpError({
          step: "tls",
          temporary: false,
          // The opt-out is explicit: a relay's security setting, or ?security=none in SMTP_URL.
          message:
            "the server does not offer STARTTLS (for a relay without TLS, choose no security explicitly)",
        });
      }
    }
    if (this.options.auth) await this.authenticate(this.options.auth);
  }

  private async hello(): Promise<void> {
    const name = this.options.clientName ?? "localhost";
    this.capabilities.clear();
    let reply = await this.conn.command("ehlo", `EHLO ${name}`, this.timeouts.command);
    if (reply.code >= 500 && reply.code !== 554) {
      // An old server without ESMTP: HELO, and no extensions.
      reply = await this.conn.command("ehlo", `HELO ${name}`, this.timeouts.command);
      if (reply.code !== 250) throw replyError("ehlo", reply);
      return;
    }
    if (reply.code !== 250) throw replyError("ehlo", reply);
    for (const line of reply.lines.slice(1)) {
      const [keyword = "", ...params] = line.trim().split(/\s+/);
      if (keyword) this.capabilities.set(keyword.toUpperCase(), params.join(" "));
    }
  }

  private async authenticate(auth: NonNullable<SmtpOptions["auth"]>): Promise<void> {
    // Here, not in the callers: no configuration (a relay edited to `security: "none"`, an
    // SMTP_URL, opportunistic STARTTLS that was not offered) can put the password on the wire.
    if (!this.secure && !isLoopbackHost(this.options.host)) {
      throw new SmtpError({
        step: "auth",
        temporary: false,
        message:
          "refusing to send credentials over an unencrypted connection: use STARTTLS or TLS (plain text is allowed only to a loopback host)",
      });
    }
    const offered = (this.capabilities.get("AUTH") ?? "").toUpperCase().split(/\s+/);
    const method =
      auth.method ?? (offered.includes("PLAIN") ? "PLAIN" : offered.includes("LOGIN") ? "LOGIN" : "");
    if (!method || !this.capabilities.has("AUTH")) {
      const hint = this.secure ? "" : " (some servers offer it only after STARTTLS)";
      throw new SmtpError({
        step: "auth",
        temporary: false,
        message: `the server does not offer AUTH${hint}`,
      });
    }
    const t = this.timeouts.command;
    let reply: SmtpReply;
    if (method === "PLAIN") {
      reply = await this.conn.command("auth", `AUTH PLAIN ${b64(`\0${auth.user}\0${auth.pass}`)}`, t);
    } else {
      reply = await this.conn.command("auth", "AUTH LOGIN", t);
      if (reply.code === 334) reply = await this.conn.command("auth", b64(auth.user), t);
      if (reply.code === 334) reply = await this.conn.command("auth", b64(auth.pass), t);
    }
    if (reply.code === 334) {
      // The server wants more than we have: cancel the exchange (RFC 4954 "*").
      reply = await this.conn.command("auth", "*", t);
    }
    if (reply.code !== 235) throw replyError("auth", reply, `AUTH ${method} failed`);
    this.authenticated = true;
  }

  /** Sends one message. Reply failures come back in the result; a broken connection throws. */
  async send(message: OutgoingMessage, options: SendOptions = {}): Promise<MessageResult> {
    const invalid = [message.from, ...message.to].find((a) => /[\s<>]/.test(a));
    if (invalid !== undefined) {
      const text = `invalid address ${JSON.stringify(invalid)}`;
      return failed(message, { step: "mail", temporary: false, message: text });
    }
    if (message.to.length === 0) {
      return failed(message, { step: "rcpt", temporary: false, message: "no recipients" });
    }
    const { data, eightBit } = encodeDataInfo(message.raw);
    const max = this.maxSize;
    if (max !== undefined && data.length > max) {
      const text = `the message is ${data.length} bytes; the server accepts at most ${max} (SIZE)`;
      return failed(message, { step: "mail", temporary: false, enhanced: "5.3.4", message: text });
    }
    if (options.mayCommit && !options.mayCommit()) return withheld(message);
    const tx: Transaction = {
      message,
      data,
      reset: this.open,
      mail: `MAIL FROM:<${message.from}>${this.mailParams(message, data.length, eightBit)}`,
      mayCommit: options.mayCommit,
    };
    this.open = true;
    return this.capabilities.has("PIPELINING") ? this.transactPipelined(tx) : this.transactStepByStep(tx);
  }

  private mailParams(message: OutgoingMessage, size: number, eightBit: boolean): string {
    let params = "";
    if (this.capabilities.has("SIZE")) params += ` SIZE=${size}`;
    if (this.capabilities.has("8BITMIME") && eightBit) params += " BODY=8BITMIME";
    const utf8Address = [message.from, ...message.to].some((a) => /[\u0080-\uffff]/.test(a));
    if (utf8Address && this.capabilities.has("SMTPUTF8")) params += " SMTPUTF8";
    return params;
  }

  /** RFC 2920: RSET, MAIL, every RCPT and DATA in one write, then the replies in order. */
  private async transactPipelined(tx: Transaction): Promise<MessageResult> {
    const { message, reset, mail } = tx;
    const t = this.timeouts.command;
    const commands = [...(reset ? ["RSET"] : []), mail, ...message.to.map((r) => `RCPT TO:<${r}>`), "DATA"];
    await this.conn.write("mail", encoder.encode(commands.map((c) => `${c}\r\n`).join("")), t);
    if (reset) await this.expectReset(await this.conn.read("mail", t));
    const mailReply = await this.conn.read("mail", t);
    const recipients: RecipientResult[] = [];
    for (const recipient of message.to) {
      recipients.push(recipientResult(recipient, await this.conn.read("rcpt", t)));
    }
    const dataReply = await this.conn.read("data", t);
    if (mailReply.code !== 250) {
      if (dataReply.code === 354) await this.abandonData();
      return failed(message, failureOf("mail", mailReply));
    }
    return this.finish(tx, recipients, dataReply);
  }

  private async transactStepByStep(tx: Transaction): Promise<MessageResult> {
    const { message, reset, mail } = tx;
    const t = this.timeouts.command;
    if (reset) await this.expectReset(await this.conn.command("mail", "RSET", t));
    const mailReply = await this.conn.command("mail", mail, t);
    if (mailReply.code !== 250) return failed(message, failureOf("mail", mailReply));
    const recipients: RecipientResult[] = [];
    for (const recipient of message.to) {
      recipients.push(
        recipientResult(recipient, await this.conn.command("rcpt", `RCPT TO:<${recipient}>`, t)),
      );
    }
    if (!recipients.some((r) => r.accepted)) return this.noRecipients(recipients);
    return this.finish(tx, recipients, await this.conn.command("data", "DATA", t));
  }

  private async finish(
    tx: Transaction,
    recipients: RecipientResult[],
    dataReply: SmtpReply,
  ): Promise<MessageResult> {
    if (!recipients.some((r) => r.accepted)) {
      if (dataReply.code === 354) await this.abandonData();
      return this.noRecipients(recipients);
    }
    if (dataReply.code !== 354) return rejectAll(recipients, failureOf("data", dataReply));
    if (tx.mayCommit && !tx.mayCommit()) {
      // DATA cannot be cancelled: only a dropped connection keeps the server from taking it.
      await this.conn.close();
      return withheld(tx.message);
    }
    await this.conn.write("data", tx.data, this.timeouts.data);
    const final = await this.conn.read("data", this.timeouts.data);
    this.open = false;
    if (final.code !== 250) return rejectAll(recipients, failureOf("data", final));
    return { accepted: true, recipients, response: describeReply(final) };
  }

  /** A server that answered 354 despite no valid recipient gets an empty body, then is ignored. */
  private async abandonData(): Promise<void> {
    await this.conn.write("data", encodeData(""), this.timeouts.data);
    await this.conn.read("data", this.timeouts.data);
    this.open = false;
  }

  private noRecipients(recipients: RecipientResult[]): MessageResult {
    const first = recipients.find((r) => !r.accepted);
    const temporary = recipients.every((r) => r.code !== undefined && r.code >= 400 && r.code < 500);
    const error: SmtpFailure = {
      step: "rcpt",
      temporary,
      message: first ? first.message : "no recipient accepted",
    };
    if (first?.code !== undefined) error.code = first.code;
    if (first?.enhanced !== undefined) error.enhanced = first.enhanced;
    return { accepted: false, recipients, error };
  }

  private async expectReset(reply: SmtpReply): Promise<void> {
    if (reply.code === 250) return;
    await this.conn.close();
    throw replyError("mail", reply, "RSET refused");
  }

  /** Sends QUIT and closes; throws `SmtpError` (step "quit") only if QUIT itself failed. */
  async quit(): Promise<void> {
    try {
      if (this.conn.isBroken) return;
      const reply = await this.conn.command("quit", "QUIT", this.timeouts.command);
      if (reply.code !== 221) throw replyError("quit", reply);
    } finally {
      await this.conn.close();
    }
  }

  /** QUIT when possible, then close; never throws. */
  async close(): Promise<void> {
    await this.quit().catch(() => {});
  }
}

/**
 * Sends messages over one connection and returns one result per message, in order. A connection
 * failure becomes the result of the message it interrupted and of every message after it.
 */
export async function deliver(options: SmtpOptions, messages: OutgoingMessage[]): Promise<MessageResult[]> {
  if (messages.length === 0) return [];
  let client: SmtpClient;
  try {
    client = await SmtpClient.connect(options);
  } catch (err) {
    const failure = toFailure(err, "connect");
    return messages.map((m) => failed(m, failure));
  }
  const results: MessageResult[] = [];
  try {
    for (const message of messages) results.push(await client.send(message));
  } catch (err) {
    const failure = toFailure(err, "data");
    for (const message of messages.slice(results.length)) results.push(failed(message, failure));
  } finally {
    await client.close();
  }
  return results;
}

/** Connects, authenticates and quits: the relay "test connection" action. Throws `SmtpError`. */
export async function verifySmtp(
  options: SmtpOptions,
): Promise<{ secure: boolean; authenticated: boolean; capabilities: Record<string, string> }> {
  const client = await SmtpClient.connect(options);
  const info = {
    secure: client.secure,
    authenticated: client.authenticated,
    capabilities: Object.fromEntries(client.capabilities),
  };
  await client.quit();
  return info;
}

function withheld(message: OutgoingMessage): MessageResult {
  return { ...failed(message, { step: "data", temporary: true, message: WITHHELD }), withheld: true };
}

const b64 = (text: string): string => {
  let s = "";
  for (const b of new TextEncoder().encode(text)) s += String.fromCharCode(b);
  return btoa(s);
};
