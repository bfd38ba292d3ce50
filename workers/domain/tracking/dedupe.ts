/**
 * What makes two opens or two clicks one event: the same send, kind (and link, for a click),
 * class and 5-minute bucket. The events consumer names each tracking event by this key, and
 * `ingestEvents` stores a key once, so replaying a pixel or a link adds at most one event (and one
 * to the totals) per bucket, however many requests are made and however many isolates answer them.
 *
 * - The bucket is the fixed 5-minute slice of the request time, not a window after the previous
 *   event: the key then follows from the event alone (a redelivered message gets the same key, and
 *   concurrent consumers need no read to agree). Five minutes covers one reading of a message (a
 *   client fetching the pixel again as it re-renders or as the reader goes back to it, a
 *   double-click or a return to the link); a re-open later is a new open. A reading that spans a
 *   slice boundary counts twice, which is the price of a key that needs no read.
 * - The class keeps machine events from taking a person's key: `h` for a human event, else the
 *   machine client (`apple-mpp`, `scanner:head`...), so a privacy proxy's prefetch and the
 *   reader's own open in the same slice are both recorded, and so is each kind of scanner once.
 *   A click the scanner timing rule flags gets `:t` appended in the ingest statement (only the
 *   database knows `sent_at`), for the same reason.
 * - Unique opens and clicks stay exact: the first human open or click of a send (and of each of
 *   its links) can never share a key with an earlier stored event, since that would have been a
 *   human event of the same send and link, stored first.
 *
 * The edge once put a per-request key in the message; messages still carrying one are read the
 * same way, by this key.
 */

export const TRACKING_BUCKET_MS = 5 * 60_000;

export interface TrackingIdentity {
  kind: "open" | "click";
  sendId: number;
  /** Clicks: the link's position in the message (one token per link). */
  linkIndex?: number;
  machine: boolean;
  client: string | null;
  occurredAt: Date;
}

/** The dedupe key of a tracking event: `o:<send>:<bucket>:<class>` or `c:<send>:<link>:<bucket>:<class>`. */
export function trackingDedupeKey(e: TrackingIdentity): string {
  const bucket = Math.floor(e.occurredAt.getTime() / TRACKING_BUCKET_MS);
  const cls = e.machine ? (e.client ?? "m") : "h";
  return e.kind === "open"
    ? `o:${e.sendId}:${bucket}:${cls}`
    : `c:${e.sendId}:${e.linkIndex ?? 0}:${bucket}:${cls}`;
}
