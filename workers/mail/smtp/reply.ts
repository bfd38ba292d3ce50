/** One complete SMTP reply: the code, the RFC 3463 enhanced status if sent, and the text lines. */
export interface SmtpReply {
  code: number;
  enhanced?: string;
  /** Text of each line, without the code and enhanced status. */
  lines: string[];
  /** The lines joined with spaces, for messages and logs. */
  text: string;
}

const LINE = /^(\d{3})([ -]?)(.*)$/;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/;

/** Thrown for bytes that are not an SMTP reply (e.g. a non-SMTP service on the port). */
export class MalformedReplyError extends Error {
  constructor(line: string) {
    super(`the server sent something that is not an SMTP reply: ${JSON.stringify(line.slice(0, 80))}`);
    this.name = "MalformedReplyError";
  }
}

/**
 * Incremental reply parser: feed it text as it arrives and take complete replies out, including
 * multi-line ones (`250-...` up to `250 ...`). Several pipelined replies may sit in the buffer.
 */
export class ReplyParser {
  private buffer = "";
  private pending: { code: number; text: string }[] = [];
  private ready: SmtpReply[] = [];

  push(text: string): void {
    this.buffer += text;
    for (;;) {
      const end = this.buffer.indexOf("\n");
      if (end < 0) break;
      const line = this.buffer.slice(0, end).replace(/\r$/, "");
      this.buffer = this.buffer.slice(end + 1);
      this.line(line);
    }
    // A reply line is short (RFC 5321: 512 bytes); a long run without a newline is not SMTP.
    if (this.buffer.length > 8192) throw new MalformedReplyError(this.buffer);
  }

  /** The next complete reply, if one has arrived. */
  next(): SmtpReply | undefined {
    return this.ready.shift();
  }

  /** True when bytes arrived that belong to no reply yet (e.g. text after a STARTTLS 220). */
  get hasLeftovers(): boolean {
    return this.buffer.length > 0 || this.pending.length > 0 || this.ready.length > 0;
  }

  private line(line: string): void {
    const m = LINE.exec(line);
    if (!m) throw new MalformedReplyError(line);
    const code = Number(m[1]);
    this.pending.push({ code, text: m[3] ?? "" });
    if (m[2] === "-") return;
    this.ready.push(toReply(code, this.pending));
    this.pending = [];
  }
}

function toReply(code: number, parts: { text: string }[]): SmtpReply {
  let enhanced: string | undefined;
  const lines = parts.map(({ text }) => {
    const m = ENHANCED.exec(text);
    // Only a status whose class matches the reply code is an enhanced status (RFC 3463).
    if (!m?.[1] || m[1][0] !== String(code)[0]) return text;
    enhanced ??= m[1];
    return text.slice(m[0].length);
  });
  const reply: SmtpReply = { code, lines, text: lines.join(" ").trim() };
  if (enhanced) reply.enhanced = enhanced;
  return reply;
}

/** Human-readable "550 5.1.1 text" for error messages. */
export function describeReply(reply: SmtpReply): string {
  return [String(reply.code), reply.enhanced, reply.text].filter(Boolean).join(" ");
}
