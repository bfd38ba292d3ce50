import { eq } from "drizzle-orm";
import { relays } from "../../schema/sending";
import type { Env } from "../env";
import { decryptSecret } from "../lib/crypto";
import type { Database } from "../lib/db";
import { AppError } from "../lib/errors";
import { sendViaEmailService } from "../mail/email-service";
import { parseMailbox } from "../mail/mime/mime";
import type { SmtpOptions } from "../mail/smtp/client";
import { DEFAULT_SYSTEM_FROM, type SystemMail, sendSystemMail } from "../mail/system";
import { getSettingsOf } from "./settings";

/**
 * Sends one system message (double opt-in confirmation, invitation, password reset, sign-in
 * notice) through the relay the settings name for system mail (`systemRelayId`): an SMTP relay,
 * or Cloudflare Email Service; SMTP_URL when none is named (or it was deleted). Throws like
 * `sendSystemMail` when the relay refuses it.
 *
 * Kept here, beside the settings, rather than in `sending/`: the audience's confirmation mail
 * sends through it, and the audience sits below sending.
 */
export async function deliverSystemMail(db: Database, env: Env, msg: SystemMail): Promise<void> {
  const { systemRelayId } = await getSettingsOf(db, ["systemRelayId"]);
  const [relay] = systemRelayId ? await db.select().from(relays).where(eq(relays.id, systemRelayId)) : [];
  if (!relay) return sendSystemMail(env, msg);
  if (relay.kind === "cloudflare") return viaEmailService(env, msg);
  if (relay.host === null || relay.port === null) return sendSystemMail(env, msg);
  const smtp: SmtpOptions = { host: relay.host, port: relay.port, security: relay.security };
  if (relay.username) {
    const pass = relay.passwordEncrypted
      ? await decryptSecret(env.ENCRYPTION_KEY, relay.passwordEncrypted)
      : "";
    smtp.auth = { user: relay.username, pass };
  }
  return sendSystemMail(env, msg, smtp);
}

async function viaEmailService(env: Env, msg: SystemMail): Promise<void> {
  const from = parseMailbox(env.SYSTEM_FROM || DEFAULT_SYSTEM_FROM);
  const result = await sendViaEmailService(env, {
    from,
    to: msg.to,
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    headers: {
      "Auto-Submitted": "auto-generated",
      ...(msg.language ? { "Content-Language": msg.language } : {}),
    },
  });
  if (!result.ok) {
    const code = result.temporary ? "unavailable" : "misconfigured";
    throw new AppError(
      code,
      `Cloudflare Email Service refused the message: ${result.code}: ${result.message}`,
    );
  }
}
