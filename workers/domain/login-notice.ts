import { html } from "../lib/html";
import { t } from "../lib/i18n";
import type { SystemMail } from "../mail/system";
import { MAX_ACCOUNT_FAILURES } from "./throttle";

/**
 * The notice to an account's owner that sign-ins to it are being limited: sent once per window,
 * instead of locking the account. Says what happened, until when, and that nothing is locked for
 * good; it carries no link, so it cannot be mistaken for (or turned into) a phishing template.
 */
export function accountLimitedMail(
  user: { email: string; name: string },
  info: { ip: string | null; retryAfterSeconds: number; now?: Date },
  lang = "en",
): SystemMail {
  const until = new Date((info.now ?? new Date()).getTime() + info.retryAfterSeconds * 1000);
  const untilText = `${until.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const from = info.ip ? t(lang, "notice.from", { ip: info.ip }) : "";
  const lines = [
    t(lang, "notice.attempts", { max: MAX_ACCOUNT_FAILURES, email: user.email, from }),
    t(lang, "notice.until", { until: untilText }),
    t(lang, "notice.advice"),
  ];
  const hello = t(lang, "mail.helloName", { name: user.name });
  return {
    to: user.email,
    subject: t(lang, "notice.subject"),
    language: lang,
    text: [hello, "", ...lines.flatMap((l) => [l, ""])].join("\n").trimEnd(),
    html: html`<p>${hello}</p>
${lines.map((l) => html`<p>${l}</p>`)}`.value,
  };
}
