/**
 * Email address rules shared by every way an address enters Edgepost (API, import, public form).
 * We accept the addr-spec most mail systems deliver to, not every RFC 5322 form: no display
 * names ("Name <a@b>"), no comments, no quoted local parts, no IP-literal domains.
 */

export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

// Dot-atom local part: RFC 5322 atext, dots only between atoms.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// One DNS label of an already ASCII (punycode) name.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

/**
 * Validates an address and returns it normalised: trimmed, the domain lower-cased and converted
 * to ASCII (IDNA), the local part kept as written (it may be case-sensitive at the receiver).
 */
export function checkEmail(raw: unknown): EmailCheck {
  if (typeof raw !== "string") return { ok: false, reason: "email must be a string" };
  const value = raw.trim();
  if (value === "") return { ok: false, reason: "email is empty" };
  if (/[\s<>()",;:\\[\]]/.test(value)) {
    return { ok: false, reason: "email must be a bare address (no display name, spaces or brackets)" };
  }
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1 || value.indexOf("@") !== at) {
    return { ok: false, reason: "email must have exactly one @ with text on both sides" };
  }
  const local = value.slice(0, at);
  if (local.length > MAX_LOCAL_LENGTH)
    return { ok: false, reason: "the part before @ is longer than 64 characters" };
  if (!LOCAL.test(local))
    return { ok: false, reason: "the part before @ has characters or dots that are not allowed" };
  const domain = toAsciiDomain(value.slice(at + 1));
  if (!domain) return { ok: false, reason: "the domain is not a valid host name" };
  const email = `${local}@${domain}`;
  if (email.length > MAX_EMAIL_LENGTH) return { ok: false, reason: "email is longer than 254 characters" };
  return { ok: true, email };
}

/** Lower-cased ASCII domain, or null when it is not a valid public host name. */
function toAsciiDomain(input: string): string | null {
  const trimmed = input.replace(/\.$/, "");
  let ascii: string;
  try {
    // URL parsing applies IDNA (UTS #46) mapping and punycode, as browsers and MTAs do.
    ascii = new URL(`http://${trimmed}`).hostname;
  } catch {
    return null;
  }
  if (ascii.length > 253) return null;
  const labels = ascii.split(".");
  if (labels.length < 2) return null;
  if (!labels.every((l) => LABEL.test(l))) return null;
  // The top-level label is never all digits (that would be an IP address, not a mail domain).
  const tld = labels[labels.length - 1] ?? "";
  if (/^[0-9]+$/.test(tld)) return null;
  return ascii;
}

/** The key addresses are compared and suppressed by: trimmed and lower-cased. */
export const emailKey = (email: string): string => email.trim().toLowerCase();

/** Hex SHA-256 of the email key: what suppressions store, so erasure keeps the block. */
export async function emailHash(email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(emailKey(email)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
