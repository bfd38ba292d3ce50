import { connect } from "cloudflare:sockets";
import { SmtpError, type SmtpFailure, type SmtpStep } from "./errors";
import { describeReply, MalformedReplyError, ReplyParser, type SmtpReply } from "./reply";

export type Transport = "off" | "on" | "starttls";

interface Watch {
  deadline: number;
  expire: () => void;
}

const TLS_PROBLEM = /tls|ssl|certificate|handshake|x509|verify/i;
const encoder = new TextEncoder();

/**
 * One TCP (or TLS) socket speaking SMTP lines: writes commands, reads whole replies, upgrades with
 * STARTTLS. Every wait has a deadline; when one passes, or the peer goes away, the socket is
 * closed and an `SmtpError` naming the step is thrown, so nothing is left hanging.
 */
export class SmtpConnection {
  private reader: ReadableStreamDefaultReader<Uint8Array>;
  private writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly parser = new ReplyParser();
  private decoder = new TextDecoder();
  private broken: SmtpError | undefined;
  /** The deadlines of the steps in progress, and the one timer that enforces them. */
  private readonly watches = new Set<Watch>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;

  private constructor(
    private socket: Socket,
    private readonly transport: Transport,
  ) {
    this.reader = socket.readable.getReader();
    this.writer = socket.writable.getWriter();
  }

  /** Opens the socket and waits for the TCP connection (and, for "on", the TLS session). */
  static async open(host: string, port: number, transport: Transport, timeoutMs: number) {
    let socket: Socket;
    try {
      socket = connect({ hostname: host, port }, { secureTransport: transport, allowHalfOpen: false });
    } catch (err) {
      throw new SmtpError({ step: "connect", temporary: false, message: errorText(err) }, { cause: err });
    }
    const conn = new SmtpConnection(socket, transport);
    const started = Date.now();
    try {
      await conn.within("connect", timeoutMs, `connecting to ${host}:${port}`, socket.opened);
    } catch (err) {
      // workerd reports a failed implicit-TLS handshake exactly like a refused connection; a plain
      // TCP probe tells them apart, so a bad certificate is not retried as if the host were down.
      const left = timeoutMs - (Date.now() - started);
      if (transport !== "on" || !(err instanceof SmtpError) || /timed out/.test(err.message) || left <= 0) {
        throw err;
      }
      if (await tcpReachable(host, port, left)) throw tlsHandshakeError(host, err);
      throw err;
    }
    return conn;
  }

  /** True once the connection failed or was closed; it cannot be used again. */
  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  /** Writes a command line (CRLF added) or raw bytes. */
  async write(step: SmtpStep, data: string | Uint8Array, timeoutMs: number): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(`${data}\r\n`) : data;
    await this.within(step, timeoutMs, "sending", this.writer.write(bytes));
  }

  /** Reads the next complete reply (multi-line replies are joined). */
  async read(step: SmtpStep, timeoutMs: number): Promise<SmtpReply> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = this.parser.next();
      // 421 means the server is closing the channel (RFC 5321 3.8), whatever the command was.
      if (ready?.code === 421) throw this.fail(step, replyError(step, ready).toJSON());
      if (ready) return ready;
      const left = Math.max(1, deadline - Date.now());
      const chunk = await this.within(step, left, `waiting for the server's reply`, this.reader.read());
      if (chunk.done) {
        throw this.fail(step, { temporary: true, message: "the server closed the connection" });
      }
      try {
        this.parser.push(this.decoder.decode(chunk.value, { stream: true }));
      } catch (err) {
        if (!(err instanceof MalformedReplyError)) throw err;
        throw this.fail(step, { temporary: false, message: err.message });
      }
    }
  }

  /** Writes a command and reads its reply. */
  async command(step: SmtpStep, line: string, timeoutMs: number): Promise<SmtpReply> {
    await this.write(step, line, timeoutMs);
    return this.read(step, timeoutMs);
  }

  /** Switches the socket to TLS after the server's 220 to STARTTLS. */
  async startTls(servername: string, timeoutMs: number): Promise<void> {
    // Bytes sent before the handshake would be read as if they came over TLS (CVE-2011-0411 style).
    if (this.parser.hasLeftovers) {
      throw this.fail("tls", {
        temporary: false,
        message: "the server sent data after agreeing to STARTTLS",
      });
    }
    this.reader.releaseLock();
    this.writer.releaseLock();
    try {
      this.socket = this.socket.startTls({ expectedServerHostname: servername });
    } catch (err) {
      throw this.fail("tls", { temporary: false, message: errorText(err) }, err);
    }
    this.reader = this.socket.readable.getReader();
    this.writer = this.socket.writable.getWriter();
    this.decoder = new TextDecoder();
    await this.within("tls", timeoutMs, "the TLS handshake", this.socket.opened);
  }

  /** Closes the socket; never throws. */
  async close(): Promise<void> {
    this.broken ??= new SmtpError({ step: "quit", temporary: true, message: "the connection is closed" });
    this.stopTimer();
    try {
      await this.socket.close();
    } catch {
      // Already closed or reset: nothing left to release.
    }
  }

  /**
   * Awaits `promise` with a deadline. A timeout or a socket error closes the connection and becomes
   * an SmtpError for `step` (TLS problems are reported as step "tls", permanent).
   */
  private async within<T>(step: SmtpStep, timeoutMs: number, what: string, promise: Promise<T>): Promise<T> {
    if (this.broken) throw this.broken;
    // The losing side of the race must not surface later as an unhandled rejection.
    promise.catch(() => {});
    let expire = () => {};
    const timeout = new Promise<"timeout">((resolve) => {
      expire = () => resolve("timeout");
    });
    const watch: Watch = { deadline: Date.now() + timeoutMs, expire };
    this.watch(watch);
    try {
      const result = await Promise.race([promise, timeout]);
      if (result === "timeout") {
        throw this.fail(step, { temporary: true, message: `timed out after ${timeoutMs} ms ${what}` });
      }
      return result;
    } catch (err) {
      if (err instanceof SmtpError) throw err;
      const message = errorText(err);
      // workerd hides the reason of a failed handshake ("internal error; reference = …").
      if (step === "tls") throw this.fail("tls", { temporary: false, message: handshakeText(message) }, err);
      const tls = this.transport !== "off" && TLS_PROBLEM.test(message);
      throw this.fail(tls ? "tls" : step, { temporary: !tls, message }, err);
    } finally {
      this.watches.delete(watch);
    }
  }

  /**
   * Deadlines share one timer per connection instead of a timer per read and write (a message
   * takes several of each, and arming timers is not free): the timer is set for the earliest
   * deadline it knows, and when it fires it expires what is due and re-arms for the rest. Steps
   * finish long before their deadline, so it fires about once per timeout, not once per step.
   */
  private watch(w: Watch): void {
    this.watches.add(w);
    if (this.timer !== undefined && this.timerAt <= w.deadline) return;
    clearTimeout(this.timer);
    this.arm(w.deadline);
  }

  private arm(at: number): void {
    this.timerAt = at;
    this.timer = setTimeout(() => this.check(), Math.max(0, at - Date.now()));
  }

  private check(): void {
    this.timer = undefined;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const w of this.watches) {
      if (w.deadline <= now) {
        this.watches.delete(w);
        w.expire();
      } else next = Math.min(next, w.deadline);
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  }

  private fail(step: SmtpStep, detail: Omit<SmtpFailure, "step">, cause?: unknown): SmtpError {
    const err = new SmtpError({ step, ...detail }, { cause });
    this.broken ??= err;
    this.stopTimer();
    this.socket.close().catch(() => {});
    return err;
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** An error for a reply that was not the expected one. */
export function replyError(step: SmtpStep, reply: SmtpReply, context?: string): SmtpError {
  const text = context ? `${context}: ${describeReply(reply)}` : describeReply(reply);
  const failure = { step, temporary: reply.code >= 400 && reply.code < 500, code: reply.code, message: text };
  return new SmtpError(reply.enhanced ? { ...failure, enhanced: reply.enhanced } : failure);
}

const handshakeText = (detail: string) =>
  `the TLS handshake failed (certificate not trusted, expired or not for this host?): ${detail}`;

function tlsHandshakeError(host: string, cause: SmtpError): SmtpError {
  return new SmtpError(
    { step: "tls", temporary: false, message: handshakeText(`${host} accepts TCP but not this TLS session`) },
    { cause },
  );
}

/** True when a plain TCP connection to host:port opens within `timeoutMs`. */
async function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  let socket: Socket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    socket = connect({ hostname: host, port }, { secureTransport: "off", allowHalfOpen: false });
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return await Promise.race([socket.opened.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    socket?.close().catch(() => {});
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
