import { sql } from "drizzle-orm";
import type { Env } from "../../env";
import { type Database, queryRows } from "../../lib/db";
import { html } from "../../lib/html";
import { type SystemMail, sendSystemMail } from "../../mail/system";

/** The notice to an owner or admin that an endpoint was turned off after sustained failures. */
export function webhookDisabledMail(
  user: { email: string; name: string },
  url: string,
  reason: string,
): SystemMail {
  const lines = [
    `Edgepost turned off the webhook endpoint ${url}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}.`,
    "Events for it are no longer queued. The deliveries that were waiting are kept: once the receiver works again, turn the endpoint on under Settings, Webhooks, and they are sent in order.",
  ];
  return {
    to: user.email,
    subject: "A webhook endpoint was turned off",
    text: [`Hello ${user.name},`, "", ...lines.flatMap((l) => [l, ""])].join("\n").trimEnd(),
    html: html`<p>Hello ${user.name},</p>
${lines.map((l) => html`<p>${l}</p>`)}`.value,
  };
}

/** Mails every owner and admin; a failure is logged (the audit entry and the dashboard still say it). */
export async function noticeAdmins(db: Database, env: Env, url: string, reason: string): Promise<void> {
  const admins = await queryRows<{ email: string; name: string }>(
    db,
    sql`select email, name from users where role in ('owner', 'admin') order by created_at`,
  );
  for (const admin of admins)
    await sendSystemMail(env, webhookDisabledMail(admin, url, reason)).catch((err: unknown) =>
      console.error(`webhooks: the disable notice to an admin was not sent: ${String(err)}`),
    );
}
