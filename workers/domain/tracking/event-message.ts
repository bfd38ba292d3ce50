import { trackingDedupeKey } from "./dedupe";
import type { EventRecord } from "./event-record";
import { isRowId, isUuid } from "./event-record";

/**
 * The message the tracking endpoints put on the events queue for each open and click: everything
 * the consumer needs, so the request path reads and writes no database.
 */
export interface TrackingEventMessage {
  v: 1;
  kind: "open" | "click";
  sendId: number;
  campaignId?: string;
  subscriberId?: string;
  variantId?: string;
  linkIndex?: number;
  url?: string;
  /** When the request arrived (ISO-8601). */
  at: string;
  ua: string;
  /** From CF-Connecting-IP; null when absent (local requests). */
  ip: string | null;
  method: "GET" | "HEAD";
  /** The edge's verdict from method and user agent (`track/classify.ts`). */
  machine: boolean;
  client: string | null;
  /** `request.cf.timezone` when the edge gave one: where a person was seen (audience/zone.ts). */
  tz?: string;
}

/**
 * Many tracking events in one queue message: the tracking endpoints send what an isolate
 * collected in a moment as one message (track/outbox.ts), so Queues bills and counts one write
 * per flush instead of one per event, and a queue's 5,000 messages per second carry far more
 * opens and clicks than that.
 */
export interface TrackingEventPack {
  v: 1;
  events: TrackingEventMessage[];
}

/** A pack never holds more (the producer's byte budget keeps it far below Queues' 128 KB anyway). */
export const MAX_PACK_EVENTS = 1000;

/**
 * The event records of one events-queue message, a pack or a single event. Malformed events are
 * left out and counted in `dropped` (retrying would not make them valid); the good ones of the
 * same pack still count.
 */
export function recordsFromEventsMessage(body: unknown): { records: EventRecord[]; dropped: number } {
  const events = (body as { events?: unknown } | null)?.events;
  if (typeof body === "object" && body !== null && events !== undefined) {
    if ((body as { v?: unknown }).v !== 1 || !Array.isArray(events) || events.length > MAX_PACK_EVENTS)
      return { records: [], dropped: Array.isArray(events) ? Math.max(1, events.length) : 1 };
    const records: EventRecord[] = [];
    for (const event of events) {
      const record = recordFromTrackingMessage(event);
      if (record) records.push(record);
    }
    return { records, dropped: events.length - records.length };
  }
  const record = recordFromTrackingMessage(body);
  return record ? { records: [record], dropped: 0 } : { records: [], dropped: 1 };
}

/** Stored user agents are cut to this; the classification has already seen the whole string. */
export const MAX_USER_AGENT = 512;
const MAX_IP = 64;
const MAX_CLIENT = 64;
const MAX_ZONE = 64;
const MAX_URL = 8192;

const str = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;

/**
 * The event record of a queue message, or null when the message is not a well-formed tracking
 * event (it is then dropped: retrying would not make it valid).
 */
export function recordFromTrackingMessage(body: unknown): EventRecord | null {
  if (typeof body !== "object" || body === null) return null;
  const m = body as Partial<Record<keyof TrackingEventMessage, unknown>>;
  if (m.v !== 1 || (m.kind !== "open" && m.kind !== "click")) return null;
  if (!isRowId(m.sendId) || !str(m.at, 40)) return null;
  const occurredAt = new Date(m.at);
  if (Number.isNaN(occurredAt.getTime())) return null;
  for (const id of [m.campaignId, m.subscriberId, m.variantId]) {
    if (id !== undefined && id !== null && !isUuid(id)) return null;
  }
  if (typeof m.ua !== "string" || typeof m.machine !== "boolean") return null;
  if (m.method !== "GET" && m.method !== "HEAD") return null;
  if (m.ip !== null && m.ip !== undefined && !str(m.ip, MAX_IP)) return null;
  if (m.client !== null && m.client !== undefined && !str(m.client, MAX_CLIENT)) return null;
  // A bad zone is only left out: the open or click itself is still good.
  const timezone = str(m.tz, MAX_ZONE) ? m.tz : null;
  let data: Record<string, unknown> | null = null;
  if (m.kind === "click") {
    if (!str(m.url, MAX_URL) || !/^https?:\/\//i.test(m.url)) return null;
    if (!Number.isSafeInteger(m.linkIndex) || (m.linkIndex as number) < 0) return null;
    data = { linkIndex: m.linkIndex };
  }
  const machine = m.machine;
  const client = (m.client as string | null | undefined) ?? null;
  const linkIndex = m.kind === "click" ? (m.linkIndex as number) : undefined;
  return {
    kind: m.kind,
    dedupeKey: trackingDedupeKey({ kind: m.kind, sendId: m.sendId, linkIndex, machine, client, occurredAt }),
    occurredAt,
    sendId: m.sendId,
    campaignId: (m.campaignId as string | undefined) ?? null,
    subscriberId: (m.subscriberId as string | undefined) ?? null,
    variantId: (m.variantId as string | undefined) ?? null,
    url: m.kind === "click" ? (m.url as string) : null,
    machine,
    client,
    userAgent: m.ua.slice(0, MAX_USER_AGENT),
    ip: (m.ip as string | null | undefined) ?? null,
    data,
    timezone,
  };
}
