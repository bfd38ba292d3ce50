import { MAX_USER_AGENT, type TrackingEventMessage } from "../domain/tracking/event-message";
import type { VerifiedClick, VerifiedOpen } from "../lib/tracking-token";
import { classifyClick, classifyOpen } from "./classify";

/**
 * The events-queue message for a verified open or click, from the request alone. It carries no
 * name of its own: the consumer names the event from its send, kind, link, class and time
 * (domain/tracking/dedupe.ts), so a redelivered message and a replayed link both come to the
 * key of the event already stored.
 */
export function trackingEvent(
  request: Request,
  kind: "open" | "click",
  fields: VerifiedOpen | VerifiedClick,
  tz?: string,
): TrackingEventMessage {
  const ua = request.headers.get("user-agent") ?? "";
  const method = request.method === "HEAD" ? "HEAD" : "GET";
  const { machine, client } = kind === "open" ? classifyOpen(ua) : classifyClick(ua, method);
  const msg: TrackingEventMessage = {
    v: 1,
    kind,
    sendId: fields.sendId,
    at: new Date().toISOString(),
    ua: ua.slice(0, MAX_USER_AGENT),
    ip: request.headers.get("cf-connecting-ip"),
    method,
    machine,
    client,
  };
  if (fields.campaignId) msg.campaignId = fields.campaignId;
  if (fields.subscriberId) msg.subscriberId = fields.subscriberId;
  if (fields.variantId) msg.variantId = fields.variantId;
  if (tz) msg.tz = tz;
  if ("url" in fields) {
    msg.linkIndex = fields.linkIndex;
    msg.url = fields.url;
  }
  return msg;
}
