import type { Env } from "../env";
import type { MailAddress } from "./mime/mime";

/**
 * The one adapter between Edgepost and Cloudflare Email Service (the Worker's `EMAIL` send_email
 * binding). It uses the structured `send({from, to, subject, html, text, headers})` API rather
 * than `EmailMessage` from `cloudflare:email` with raw MIME: Cloudflare signs DKIM for the
 * onboarded domain, sets Message-ID and Return-Path (its own bounce processor) itself and refuses
 * those headers, so our MIME, DKIM and per-send bounce address would be thrown away anyway.
 *
 * Every call goes through here, so tests observe what the Worker handed the binding: locally
 * `wrangler dev` simulates the binding, logs the message, sends nothing, and lists it in its local
 * explorer (`/cdn-cgi/local/explorer/api/local/email/sending`).
 */

/** One message as the binding takes it. */
export interface EmailServiceMessage {
  from: MailAddress;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: MailAddress | null;
  /** Allowlisted (List-*, Auto-Submitted, Content-Language...) and `X-` headers only. */
  headers?: Record<string, string>;
}

/** What the binding answered: Cloudflare's message id, or its error code and what it means for us. */
export type EmailServiceResult =
  | { ok: true; messageId: string }
  | {
      ok: false;
      code: string;
      message: string;
      /** Worth retrying later (rate or daily limit, Cloudflare unavailable). */
      temporary: boolean;
      /** The recipient itself is refused (on Cloudflare's suppression list): a bounce. */
      recipient: boolean;
    };

/** Error codes of the binding (developers.cloudflare.com/email-service/api/send-emails/workers-api/). */
const TEMPORARY = new Set(["E_RATE_LIMIT_EXCEEDED", "E_DAILY_LIMIT_EXCEEDED", "E_INTERNAL_SERVER_ERROR"]);
const RECIPIENT = new Set(["E_RECIPIENT_SUPPRESSED"]);

const address = (a: MailAddress) => (a.name ? { email: a.address, name: a.name } : a.address);

/** Whether this deployment has the binding (the `[[send_email]]` block of wrangler.toml). */
export const hasEmailService = (env: Env): boolean => Boolean(env.EMAIL);

/** Hands one message to Cloudflare Email Service; never throws for a refusal, only reports it. */
export async function sendViaEmailService(env: Env, msg: EmailServiceMessage): Promise<EmailServiceResult> {
  const binding = env.EMAIL;
  if (!binding) {
    return {
      ok: false,
      code: "E_NO_BINDING",
      message:
        "The Worker has no EMAIL (send_email) binding: see the README's Cloudflare Email Service section",
      temporary: false,
      recipient: false,
    };
  }
  try {
    const headers = msg.headers && Object.keys(msg.headers).length > 0 ? { headers: msg.headers } : {};
    const replyTo = msg.replyTo ? { replyTo: address(msg.replyTo) } : {};
    const { messageId } = await binding.send({
      from: address(msg.from),
      to: msg.to,
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      ...replyTo,
      ...headers,
    });
    return { ok: true, messageId: messageId.replace(/^<|>$/g, "") };
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? "E_UNKNOWN");
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, code, message, temporary: TEMPORARY.has(code), recipient: RECIPIENT.has(code) };
  }
}
