import type { Env } from "../../../env";
import { AppError } from "../../../lib/errors";
import { isLoopbackHost, SmtpError, verifySmtp } from "../../../mail/smtp/client";
import type { SmtpFailure } from "../../../mail/smtp/errors";
import { type RelayRow, relaySmtpOptions } from "./relays";

/**
 * The ports mail relays listen on: 25, 465 and 587 (RFC 5321, 8314, 6409), 2525 (the common
 * alternative of SendGrid, Mailgun, Postmark...), 2465 and 2587 (Amazon SES's alternatives).
 * The connection test tries only these on a remote host: it must not serve as a port scanner.
 */
export const MAIL_PORTS = new Set([25, 465, 587, 2525, 2465, 2587]);

export interface RelayTestResult extends Partial<SmtpFailure> {
  ok: boolean;
  message: string;
  secure?: boolean;
  authenticated?: boolean;
  capabilities?: Record<string, string>;
  elapsedMs: number;
}

/**
 * The relay's "test connection": connect, TLS, greeting, EHLO, AUTH, QUIT. Before an SMTP
 * greeting every failure (refused, timed out, reset, a TLS handshake, something that is not SMTP)
 * gets the same answer, so the test cannot tell an open port from a closed one; after it, the
 * failing step is named (AUTH refused, STARTTLS not offered...). Loopback hosts may use any port.
 */
export async function testRelayConnection(env: Env, relay: RelayRow): Promise<RelayTestResult> {
  if (relay.host === null || relay.port === null) {
    // Cloudflare Email Service: nothing to connect to; the binding is there or not.
    const ok = Boolean(env.EMAIL);
    const message = ok
      ? "The EMAIL binding is present; Cloudflare checks the sender's domain when a message is sent"
      : "The Worker has no EMAIL binding: add the send_email binding to wrangler.toml and deploy";
    return { ok, ...(ok ? {} : { step: "connect" }), message, elapsedMs: 0 };
  }
  if (!isLoopbackHost(relay.host) && !MAIL_PORTS.has(relay.port)) {
    const ports = [...MAIL_PORTS].join(", ");
    throw new AppError(
      "validation_failed",
      `The connection test only tries the usual mail ports (${ports})`,
      [{ path: ["port"], message: `not a mail port: ${relay.port}` }],
    );
  }
  const options = await relaySmtpOptions(env, relay);
  const started = Date.now();
  try {
    const info = await verifySmtp({
      ...options,
      timeouts: { connect: 10_000, greeting: 15_000, command: 15_000 },
    });
    const how = `${info.secure ? "TLS" : "plain text"}${info.authenticated ? ", authenticated" : ""}`;
    return { ok: true, message: `Connected (${how})`, ...info, elapsedMs: Date.now() - started };
  } catch (err) {
    if (!(err instanceof SmtpError)) throw err;
    const elapsedMs = Date.now() - started;
    if (beforeGreeting(err, relay)) {
      const message = `No SMTP server answered at ${relay.host}:${relay.port} (refused, timed out, closed, TLS failed or not SMTP)`;
      return { ok: false, step: "connect", temporary: true, message, elapsedMs };
    }
    return { ok: false, ...err.toJSON(), elapsedMs };
  }
}

/** Implicit TLS is negotiated before the greeting; STARTTLS only after it. */
const beforeGreeting = (err: SmtpError, relay: RelayRow) =>
  err.step === "connect" || err.step === "greeting" || (err.step === "tls" && relay.security === "tls");
