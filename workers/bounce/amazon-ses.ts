// Amazon SES notifications delivered by e-mail (an SNS topic with an e-mail subscription): a JSON
// document, possibly wrapped in the SNS envelope, instead of a delivery status report.

import { extractAddress } from "./headers";

export interface SesRecipient {
  email: string;
  status: string;
  action: string;
  diagnostic: string;
}

export interface SesNotification {
  type: "bounce" | "complaint" | "delivery";
  recipients: SesRecipient[];
  feedbackType: string;
  /** Headers of the message SES sent, lower-cased names. */
  headers: Record<string, string>;
}

type Json = { [key: string]: unknown };

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The SES notification a message body carries, or null when it is not one. */
export function parseSesNotification(body: string): SesNotification | null {
  if (!body.includes("notificationType")) return null;
  // SNS e-mail wraps long lines as "!" + line break + space; the JSON needs them joined again.
  const cut = body.indexOf("\n\n--\n");
  const text = (cut > 0 ? body.slice(0, cut) : body).replace(/!\n /g, "");
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start || end - start > 512 * 1024) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start, end + 1));
    // The SNS envelope carries the notification as a JSON string in "Message".
    if (isObject(doc) && typeof doc.Message === "string") doc = JSON.parse(doc.Message);
  } catch {
    return null;
  }
  if (!isObject(doc)) return null;
  const kind = str(doc.notificationType).toLowerCase();
  const headers: Record<string, string> = {};
  const mail = isObject(doc.mail) ? doc.mail : {};
  for (const h of list(mail.headers).slice(0, 100)) {
    if (isObject(h) && str(h.name)) headers[str(h.name).toLowerCase()] = str(h.value).slice(0, 1000);
  }
  if (kind === "bounce" && isObject(doc.bounce)) {
    const recipients = list(doc.bounce.bouncedRecipients)
      .filter(isObject)
      .map((r) => ({
        email: extractAddress(str(r.emailAddress)),
        status: str(r.status),
        action: str(r.action),
        diagnostic: str(r.diagnosticCode).replace(/^smtp;\s*/i, ""),
      }));
    return { type: "bounce", recipients, feedbackType: "", headers };
  }
  if (kind === "complaint" && isObject(doc.complaint)) {
    const recipients = list(doc.complaint.complainedRecipients)
      .filter(isObject)
      .map((r) => ({ email: extractAddress(str(r.emailAddress)), status: "", action: "", diagnostic: "" }));
    const feedbackType = str(doc.complaint.complaintFeedbackType).toLowerCase() || "abuse";
    return { type: "complaint", recipients, feedbackType, headers };
  }
  if (kind === "delivery" && isObject(doc.delivery)) {
    const response = str(doc.delivery.smtpResponse);
    const recipients = list(doc.delivery.recipients).map((r) => ({
      email: extractAddress(str(r)),
      status: /2\.\d\.\d{1,3}/.exec(response)?.[0] ?? "2.0.0",
      action: "delivered",
      diagnostic: response,
    }));
    return { type: "delivery", recipients, feedbackType: "", headers };
  }
  return null;
}
