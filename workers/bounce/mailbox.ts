// Files that hold several messages in mbox form ("From " separator lines), as MTAs and mail
// archives save them.

import { classifyMessage } from "./classify";
import type { Classification } from "./types";

// An mbox separator: "From <sender> <asctime date>", e.g. "From MAILER-DAEMON Thu Apr 29 23:34:45 2015".
const SEPARATOR =
  /\n(?=From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?: [A-Z]{2,5})? \d{4}\n)/;

/** Splits an mbox file into its messages; a single message comes back alone. */
export function splitMailbox(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, "\n");
  return normalised
    .split(SEPARATOR)
    .map((m) => m.replace(/^From \S+[^\n]*\n/, ""))
    .filter((m) => m.trim().length > 0);
}

// One character per byte and back: splitting on ASCII separators then cannot damage any charset.
function bytesToBinary(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function binaryToBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * Classifies every message of an mbox file (or a single message) and joins the results: the
 * first kind that is not "not-bounce", every recipient in order, every delivered-to address.
 */
export async function classifyMailbox(bytes: Uint8Array): Promise<Classification & { messages: number }> {
  const messages = splitMailbox(bytesToBinary(bytes));
  if (messages.length <= 1) return { ...(await classifyMessage(bytes)), messages: 1 };
  const results = await Promise.all(messages.map((m) => classifyMessage(binaryToBytes(m))));
  return {
    kind: results.find((r) => r.kind !== "not-bounce")?.kind ?? "not-bounce",
    recipients: results.flatMap((r) => r.recipients),
    deliveredTo: [...new Set(results.flatMap((r) => r.deliveredTo))],
    messages: messages.length,
  };
}
