/** The step of an SMTP session a failure belongs to; "test connection" reports it as is. */
export type SmtpStep = "connect" | "tls" | "greeting" | "ehlo" | "auth" | "mail" | "rcpt" | "data" | "quit";

/** What a failure carries, as plain data (JSON-safe), for results and logs. */
export interface SmtpFailure {
  step: SmtpStep;
  /** True for 4xx replies, timeouts and broken connections: trying again later may work. */
  temporary: boolean;
  /** The server's reply code, when the failure is a reply. */
  code?: number;
  /** RFC 3463 enhanced status (e.g. "5.1.1"), when the server sent one. */
  enhanced?: string;
  message: string;
}

/** A failed SMTP step. `temporary` says whether to retry; `code`/`enhanced` come from the reply. */
export class SmtpError extends Error implements SmtpFailure {
  readonly step: SmtpStep;
  readonly temporary: boolean;
  readonly code?: number;
  readonly enhanced?: string;

  constructor(failure: SmtpFailure, options?: { cause?: unknown }) {
    super(`SMTP ${failure.step} failed: ${failure.message}`, options);
    this.name = "SmtpError";
    this.step = failure.step;
    this.temporary = failure.temporary;
    this.code = failure.code;
    this.enhanced = failure.enhanced;
  }

  /** The failure as plain data, with the server's text rather than the prefixed message. */
  toJSON(): SmtpFailure {
    const detail = this.message.replace(/^SMTP \w+ failed: /, "");
    const out: SmtpFailure = { step: this.step, temporary: this.temporary, message: detail };
    if (this.code !== undefined) out.code = this.code;
    if (this.enhanced !== undefined) out.enhanced = this.enhanced;
    return out;
  }
}
