import { stack } from "./api";

export interface MailSummary {
  id: string;
  from: string;
  to: string[];
  subject: string;
}

export interface MailDetail extends MailSummary {
  text: string;
  html: string;
  headers?: Record<string, string>;
}

const base = () => stack().mailboxUrl;

/** Messages in the shared stack's dev mailbox addressed to `email` (case-insensitive). */
export async function mailTo(email: string): Promise<MailSummary[]> {
  const all = (await (await fetch(`${base()}/api/messages`)).json()) as MailSummary[];
  return all.filter((m) => m.to.some((t) => t.toLowerCase() === email.toLowerCase()));
}

/** Waits until `count` messages to `email` arrived; returns them (newest first, as the mailbox lists). */
export async function waitForMail(email: string, count = 1, timeoutMs = 20_000): Promise<MailSummary[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await mailTo(email);
    if (found.length >= count) return found;
    if (Date.now() > deadline)
      throw new Error(`${found.length} of ${count} message(s) to ${email} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function mailDetail(id: string): Promise<MailDetail> {
  return (await (await fetch(`${base()}/api/messages/${id}`)).json()) as MailDetail;
}

/** The message exactly as the relay received it. */
export async function mailRaw(id: string): Promise<string> {
  return (await fetch(`${base()}/api/messages/${id}/raw`)).text();
}
