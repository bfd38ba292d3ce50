// Whether a message presents itself as a delivery notice at all, and which addresses in it
// belong to the notice's own parties rather than to a failed recipient.

import { extractAddress, first, type HeaderMap } from "./headers";
import type { Notice } from "./mime";
import { detectFlavor } from "./mta-flavor";

export interface Envelope {
  from?: string;
  to?: string;
}

/** Senders that mail systems use for their notices. */
export const AUTOMATED_SENDER =
  /mailer-daemon|post_?master|mail ?delivery|delivery ?(sub)?system|mailer|mdaemon|daemon@|mail administrator|system administrator|mail system|bounce|e-mail interconnect|administrateur/i;
/** Subjects of delivery notices in the languages MTAs write them in. */
export const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status|failure|failed|notification|report|problem|has failed)|returned mail|mail delivery|failure notice|delivery failure|non[- ]?remis|could not be delivered|not delivered|mail system error|could not send|nondeliverable|non-deliverable|returned to sender|unzustellbar|mail failure|delayed mail|delivery delayed|message delayed|rejected|bounce|unable to deliver|nicht zugestellt|non recapitabile|no entregado/i;
const REPLY_OR_FORWARD = /^\s*(re|fwd?|aw|wg|tr|sv|vs)\s*:/i;

/** True when the message presents itself as a delivery status notice. */
export function isDeliveryNotice(notice: Notice): boolean {
  // The fml list manager reports rejected and looping posts from the list's admin address.
  if (detectFlavor(notice) === "fml") return true;
  if (notice.reports.length > 0 || /report-type\s*=\s*"?delivery-status/.test(notice.contentType))
    return true;
  if (first(notice.headers, "x-failed-recipients")) return true;
  if (AUTOMATED_SENDER.test(first(notice.headers, "from"))) return true;
  if (first(notice.headers, "return-path").replace(/\s/g, "") === "<>") return true;
  if (REPLY_OR_FORWARD.test(notice.subject)) {
    // Somebody forwarding a notice: only the notice's own report or sender makes it one.
    return (
      /^(?:Reporting-MTA|Final-Recipient)\s*:/im.test(notice.text) ||
      /^From:.*(?:mailer-daemon|postmaster)/im.test(notice.text)
    );
  }
  return BOUNCE_SUBJECT.test(notice.subject);
}

// Wording of a delivery failure in a notice's text.
const FAILURE_NOTICE =
  /could(?: not|n't) be delivered|undeliver|not (?:been )?delivered|delivery (?:to the following|has failed|failed|failure|problem|status|error)|permanent(?:ly)? (?:error|fatal|failure|failed)|fatal error|returned to sender|unable to deliver|failed to deliver|cannot be delivered|error (?:delivering|sending)|trouble delivering|(?:was|were|been) rejected|rejected by|remote host said|said: \d{3}|smtp error|transcript of session|following address(?:es)? failed|following recipients?|delivery attempts|retry timeout|not yet been delivered|message could not|not reachable|mail delivery failed|failure reasons|did not reach|could not send|no such user|user unknown|unknown user|mailbox (?:is )?full|over quota|following list of recipients|error has occurred|attempting to deliver|temporary failure|mailbox exceeds|account is disabled|not accepted/i;

/**
 * True when free text alone may be read as a delivery notice: a mail system's sender (or an
 * empty Return-Path) and the words of a failure, so a person's mail that merely mentions an
 * address and "delivery" is not taken for a bounce.
 */
export function textNoticeTrusted(notice: Notice, body: string): boolean {
  const h = notice.headers;
  const machine =
    AUTOMATED_SENDER.test(first(h, "from")) ||
    first(h, "return-path").replace(/\s/g, "") === "<>" ||
    Boolean(first(h, "x-failed-recipients"));
  const text = body.slice(0, 16 * 1024);
  const words = FAILURE_NOTICE.test(text);
  const codes = /\b[45]\d\d[\s-]|\b[45]\.\d{1,3}\.\d{1,3}\b/.test(text);
  if (machine) return words || codes || BOUNCE_SUBJECT.test(notice.subject);
  return words && BOUNCE_SUBJECT.test(notice.subject) && !REPLY_OR_FORWARD.test(notice.subject);
}

/** Addresses that cannot be a failed recipient: the notice's own parties and the original sender. */
export function ownAddresses(
  headers: HeaderMap,
  original: HeaderMap | undefined,
  envelope?: Envelope,
): Set<string> {
  const out = new Set<string>();
  const add = (value: string) => {
    for (const part of value.split(",")) {
      const a = extractAddress(part);
      if (a) out.add(a);
    }
  };
  for (const name of ["from", "to", "return-path"]) {
    for (const v of headers.get(name) ?? []) add(v);
  }
  for (const name of ["from", "sender", "return-path"]) add(first(original ?? new Map(), name));
  add(envelope?.from ?? "");
  add(envelope?.to ?? "");
  return out;
}
