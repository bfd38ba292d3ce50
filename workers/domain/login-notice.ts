import { html } from "../lib/html";
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
): SystemMail {
  const until = new Date((info.now ?? new Date()).getTime() + info.retryAfterSeconds * 1000);
  const untilText = `${until.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const from = info.ip ? `, the latest from ${info.ip}` : "";
  const lines = [
    `There were more than ${MAX_ACCOUNT_FAILURES} unsuccessful attempts to sign in to ${user.email} within 15 minutes${from}.`,
    `Until ${untilText}, sign-ins to this account are refused, except from networks you signed in from in the last 30 days. After that they work as usual: nothing is locked for good.`,
    "If this was you, there is nothing to do. If not, someone may be guessing your password: make sure it is long and not used anywhere else.",
  ];
  return {
    to: user.email,
    subject: "Failed sign-ins to your Edgepost account",
    text: [`Hello ${user.name},`, "", ...lines.flatMap((l) => [l, ""])].join("\n").trimEnd(),
    html: html`<p>Hello ${user.name},</p>
${lines.map((l) => html`<p>${l}</p>`)}`.value,
  };
}
