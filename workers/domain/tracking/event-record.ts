import type { EventKind } from "../../../schema/events";

/**
 * One event as `ingestEvents` takes it, whoever produced it: the tracking endpoints (through the
 * events queue), bounce and complaint handling, unsubscribes, the sender. Ids are the rows' own
 * (`sends.id` as a number, uuids as strings); absent ids are null or left out.
 */
export interface EventRecord {
  kind: EventKind;
  /**
   * Identity of the occurrence, unique across all events: a redelivered message carries the same
   * key and is stored once; a genuinely new occurrence needs a new key. Producers namespace their
   * keys (`o:…`, `c:…` for tracking; e.g. `bounce:<sendId>` makes a bounce count once per send).
   */
  dedupeKey: string;
  occurredAt: Date;
  sendId?: number | null;
  campaignId?: string | null;
  variantId?: string | null;
  subscriberId?: string | null;
  /** Name of a `custom` event. */
  name?: string | null;
  linkId?: number | null;
  url?: string | null;
  /** Privacy-proxy open or scanner click, as classified at the edge; the consumer may add the timing rule. */
  machine?: boolean;
  client?: string | null;
  userAgent?: string | null;
  ip?: string | null;
  data?: Record<string, unknown> | null;
  /**
   * Where the edge placed the client (`request.cf.timezone`), for the subscriber's seen zone;
   * carried to the consumer, never stored on the event.
   */
  timezone?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a uuid string, the shape of every id column but `send_id`. */
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

/** True for a positive integer that fits a bigint id exactly in JS. */
export const isRowId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
