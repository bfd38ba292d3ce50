import { MAX_USER_AGENT, type TrackingEventMessage } from "../domain/tracking/event-message";
import { toHex } from "../lib/encoding";
import type { VerifiedClick, VerifiedOpen } from "../lib/tracking-token";
import { classifyClick, classifyOpen } from "./classify";

/** 64 random bits per isolate, drawn on first use (the Workers runtime has no randomness at startup). */
let isolateId = "";
let sequence = 0;

/**
 * A name for this request, unique across isolates and requests: the isolate's random prefix and a
 * counter. A UUID per request cost 2% of the endpoint's throughput (measured under workerd).
 */
function requestId(): string {
  if (!isolateId) isolateId = toHex(crypto.getRandomValues(new Uint8Array(8)));
  return `${isolateId}.${(sequence++).toString(36)}`;
}

/**
 * The events-queue message for a verified open or click, from the request alone. The dedupe key
 * is fixed here, once per request, and travels in the message: a redelivered message is stored
 * once, while a second open by the same person is a new request with a new key.
 */
export function trackingEvent(
  request: Request,
  kind: "open" | "click",
  fields: VerifiedOpen | VerifiedClick,
): TrackingEventMessage {
  const ua = request.headers.get("user-agent") ?? "";
  const method = request.method === "HEAD" ? "HEAD" : "GET";
  const { machine, client } = kind === "open" ? classifyOpen(ua) : classifyClick(ua, method);
  // cf-ray names one request at Cloudflare's edge (handy to find it in logs); locally there is none.
  const ray = request.headers.get("cf-ray");
  const id = ray && ray.length <= 64 ? ray : requestId();
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
    dedupeKey: `${kind === "open" ? "o" : "c"}:${fields.sendId}:${id}`,
  };
  if (fields.campaignId) msg.campaignId = fields.campaignId;
  if (fields.subscriberId) msg.subscriberId = fields.subscriberId;
  if (fields.variantId) msg.variantId = fields.variantId;
  if ("url" in fields) {
    msg.linkIndex = fields.linkIndex;
    msg.url = fields.url;
  }
  return msg;
}
