// RFC 3834 automatic replies (vacation and out-of-office messages): not a failure, but worth
// recognising so they are not taken for bounces, nor for mail a person wrote.

import { extractAddress, first } from "./headers";
import type { Notice } from "./mime";

// Machine senders whose auto-submitted mail is a system notice, not somebody's vacation reply.
const SYSTEM_SENDERS = ["root@", "postmaster@", "mailer-daemon@"];
const SYSTEM_SUBJECTS = ["security information for", "mail failure -"];
const AUTO_SUBMITTED = ["auto-generated", "auto-notified"];
const AWAY_WORDS =
  /out of (the )?office|on vacation|on holiday|on leave|i am away|i'm away|i will be away|away from (the|my) (office|desk)|auto(matic)?[ -]?reply|abwesen|absent/i;
const REPLY_SUBJECTS = [
  "auto:",
  "auto response:",
  "automatic reply:",
  "autoreply:",
  "auto-reply:",
  "out of office:",
  "out of the office:",
  "out of office reply:",
  "abwesenheitsnotiz:",
  "réponse automatique :",
  "respuesta automática:",
];

/** True when the notice is an automatic reply sent on behalf of a person. */
export function isAutoReply(notice: Notice): boolean {
  const h = notice.headers;
  const from = first(h, "from").toLowerCase();
  const subject = notice.subject.toLowerCase();
  if (SYSTEM_SENDERS.some((s) => from.includes(s)) || first(h, "to").toLowerCase().includes("root@"))
    return false;
  if (SYSTEM_SUBJECTS.some((s) => subject.includes(s))) return false;
  if (REPLY_SUBJECTS.some((s) => subject.startsWith(s))) return true;
  if (first(h, "x-apple-action").toLowerCase().startsWith("vacation")) return true;
  if (first(h, "precedence").toLowerCase().startsWith("auto_reply")) return true;
  if (first(h, "x-autoreply") || first(h, "x-autorespond") || first(h, "x-autoreply-from")) return true;
  const auto = first(h, "auto-submitted").toLowerCase();
  if (auto.startsWith("auto-replied")) return true;
  // "auto-generated" also marks cron output, alerts and newsletters: only an absence notice
  // in the words of the message makes it a vacation reply.
  return (
    AUTO_SUBMITTED.some((s) => auto.startsWith(s)) &&
    AWAY_WORDS.test(`${subject}\n${notice.text.slice(0, 2000)}`)
  );
}

/** The address that replied: From, or Return-Path when From holds none. */
export function autoReplySender(notice: Notice): string {
  return (
    extractAddress(first(notice.headers, "from")) || extractAddress(first(notice.headers, "return-path"))
  );
}
