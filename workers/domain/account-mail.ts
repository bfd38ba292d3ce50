import { html } from "../lib/html";
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

interface Parts {
  subject: string;
  greeting: string;
  lines: string[];
  action: string;
}

function mail(to: string, { subject, greeting, lines, action }: Parts, link: string): SystemMail {
  return {
    to,
    subject,
    text: [greeting, "", ...lines.flatMap((l) => [l, ""]), link].join("\n"),
    html: html`<p>${greeting}</p>
${lines.map((l) => html`<p>${l}</p>`)}
<p><a href="${link}">${action}</a></p>
<p style="color:#666;font-size:13px">Or paste this address into your browser: ${link}</p>`.value,
  };
}

/** "You are invited": who invited them, their role, and the link to set their password. */
export function invitationMail(
  user: { email: string; name: string; role: string },
  inviter: string | null,
  link: string,
): SystemMail {
  const by = inviter ? `${inviter} invited you` : "You are invited";
  return mail(
    user.email,
    {
      subject: "You are invited to Edgepost",
      greeting: `Hello ${user.name},`,
      action: "Set your password",
      lines: [
        // Every role (owner, admin, editor, analyst) starts with a vowel.
        `${by} to Edgepost as an ${user.role}.`,
        `Choose your password with the link below; it works once, for ${days(TOKEN_TTL_SECONDS.invite)} days. Then sign in with ${user.email}.`,
      ],
    },
    link,
  );
}

/** The reset link, asked for on the sign-in page; says what to do if it was not them. */
export function passwordResetMail(user: { email: string; name: string }, link: string): SystemMail {
  return mail(
    user.email,
    {
      subject: "Reset your Edgepost password",
      greeting: `Hello ${user.name},`,
      action: "Choose a new password",
      lines: [
        "Someone (hopefully you) asked to reset the password of this Edgepost account.",
        `Choose a new one with the link below; it works once, within ${TOKEN_TTL_SECONDS.reset / 60} minutes, and signs you out everywhere else.`,
        "If you did not ask for this, ignore this mail: your password stays as it is.",
      ],
    },
    link,
  );
}
