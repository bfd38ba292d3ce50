import type { Env } from "../env";
import { AppError } from "../lib/errors";
import { buildMessage, domainOf, parseMailbox } from "./mime/mime";
import { deliver, type SmtpOptions } from "./smtp/client";
import { SmtpError } from "./smtp/errors";
import { parseSmtpUrl } from "./smtp/url";

export const DEFAULT_SYSTEM_FROM = "Edgepost <no-reply@localhost>";

/** A message the platform itself sends (confirmations, password resets, notices). */
export interface SystemMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The language it is written in (Content-Language). */
  language?: string;
}

/**
 * Sends one system message through `SMTP_URL` (or the SMTP relay given) from `SYSTEM_FROM`,
 * resolving once the relay has accepted it. Throws `AppError("misconfigured")` when SMTP_URL is
 * unset or invalid, and `SmtpError` (with `step`, `temporary`, `code`, `enhanced`) when the relay
 * refuses or fails. `domain/system-mail.ts` picks the relay the settings name.
 */
export async function sendSystemMail(env: Env, msg: SystemMail, via?: SmtpOptions): Promise<void> {
  if (!via && !env.SMTP_URL) {
    throw new AppError("misconfigured", "SMTP_URL is not set, so system mail cannot be sent");
  }
  let relay: SmtpOptions;
  let from: ReturnType<typeof parseMailbox>;
  try {
    relay = via ?? parseSmtpUrl(env.SMTP_URL ?? "");
    from = parseMailbox(env.SYSTEM_FROM || DEFAULT_SYSTEM_FROM);
  } catch (err) {
    throw new AppError("misconfigured", `System mail settings are invalid: ${(err as Error).message}`);
  }
  relay.clientName = clientName(env, from.address);
  const headers = msg.language ? { headers: { "Content-Language": msg.language } } : {};
  const built = buildMessage({
    from,
    to: msg.to,
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    ...headers,
  });
  const [result] = await deliver(relay, [{ from: built.from, to: built.to, raw: built.raw }]);
  if (!result) throw new SmtpError({ step: "data", temporary: true, message: "no result for the message" });
  if (result.error) throw new SmtpError(result.error);
}

/** The EHLO name: this deployment's host when APP_URL is set, else the sender's domain. */
function clientName(env: Env, fromAddress: string): string {
  if (env.APP_URL) {
    try {
      return new URL(env.APP_URL).hostname;
    } catch {
      // Fall through to the sender's domain; env.ts reports a bad APP_URL elsewhere.
    }
  }
  return domainOf(fromAddress);
}
