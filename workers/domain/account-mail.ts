import { matchLocale } from "../contract/locales";
import { html } from "../lib/html";
import { type MessageKey, t } from "../lib/i18n";
import type { SystemMail } from "../mail/system";
import { TOKEN_TTL_SECONDS } from "./account-tokens";

/**
 * The two mails that carry a link to set a password: an invitation and a reset. The link goes to
 * the dashboard's /set-password page with the token in the fragment (`#token=`), so it is never
 * sent to a server, written in an access log or passed on in a Referer.
 */

/** The dashboard link for a token; `base` is APP_URL (or the request's origin), no trailing slash. */
export const setPasswordLink = (base: string, token: string) =>
  `${base.replace(/\/+$/, "")}/set-password#token=${encodeURIComponent(token)}`;

const days = (seconds: number) => Math.round(seconds / 86400);

/** System mail to a user speaks their own language, else the request's Accept-Language, else English. */
export const userLanguage = (user: { locale?: string | null }, acceptLanguage?: string | null): string =>
  user.locale ?? matchLocale(acceptLanguage) ?? "en";

interface Parts {
  subject: string;
  greeting: string;
  lines: string[];
  action: string;
}

function mail(
  to: string,
  lang: string,
  { subject, greeting, lines, action }: Parts,
  link: string,
): SystemMail {
  return {
    to,
    subject,
    language: lang,
    text: [greeting, "", ...lines.flatMap((l) => [l, ""]), link].join("\n"),
    html: html`<p>${greeting}</p>
${lines.map((l) => html`<p>${l}</p>`)}
<p><a href="${link}">${action}</a></p>
<p style="color:#666;font-size:13px">${t(lang, "mail.paste", { link })}</p>`.value,
  };
}

/** "You are invited": who invited them, their role, and the link to set their password. */
export function invitationMail(
  user: { email: string; name: string; role: string },
  inviter: string | null,
  link: string,
  lang = "en",
): SystemMail {
  const role = t(lang, `role.${user.role}` as MessageKey);
  return mail(
    user.email,
    lang,
    {
      subject: t(lang, "invite.subject"),
      greeting: t(lang, "mail.helloName", { name: user.name }),
      action: t(lang, "invite.action"),
      lines: [
        // In English every role (owner, admin, editor, analyst) starts with a vowel: "as an".
        inviter ? t(lang, "invite.by", { inviter, role }) : t(lang, "invite.anonymous", { role }),
        t(lang, "invite.choose", { days: days(TOKEN_TTL_SECONDS.invite), email: user.email }),
      ],
    },
    link,
  );
}

/** The reset link, asked for on the sign-in page; says what to do if it was not them. */
export function passwordResetMail(
  user: { email: string; name: string },
  link: string,
  lang = "en",
): SystemMail {
  return mail(
    user.email,
    lang,
    {
      subject: t(lang, "reset.subject"),
      greeting: t(lang, "mail.helloName", { name: user.name }),
      action: t(lang, "reset.action"),
      lines: [
        t(lang, "reset.asked"),
        t(lang, "reset.choose", { minutes: TOKEN_TTL_SECONDS.reset / 60 }),
        t(lang, "reset.ignore"),
      ],
    },
    link,
  );
}
