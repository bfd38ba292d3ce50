import type { TrackingEventMessage } from "../domain/tracking/event-message";

/**
 * A per-isolate limit on the events one tracking token can queue: at most EVENTS_PER_WINDOW per
 * token and class (human or machine) in WINDOW_MS. Past it the request is answered as always (the
 * pixel, or the redirect: a replayed link still takes the reader where it points) but its event is
 * dropped, so a loop replaying one token costs neither queue writes nor database work.
 *
 * Counting, not correctness: the consumer keeps one event per token, class and 5-minute bucket
 * anyway (domain/tracking/dedupe.ts), whichever isolate answered. The allowance leaves room for
 * what that rule keeps: a scanner's click then the reader's own, a few different scanners. The
 * class is part of the key so that machine fetches never use up the reader's allowance.
 *
 * Bounded memory: windows live in two generations of at most GENERATION tokens each; when the
 * current one is full it becomes the previous one and the oldest is dropped whole. (Deleting a
 * map's oldest key one at a time was measured at about 20 µs per call once the map was full: V8
 * walks the deleted entries at the front of the map to find the first live one.)
 */

const WINDOW_MS = 60_000;
const EVENTS_PER_WINDOW = 5;
const GENERATION = 5_000;

interface Window {
  start: number;
  count: number;
}

let current = new Map<string, Window>();
let previous = new Map<string, Window>();

/** Whether `msg`'s event may be queued; counts it against its token's window. */
export function allowEvent(msg: TrackingEventMessage, now: number): boolean {
  const cls = msg.machine ? "m" : "h";
  const key = msg.kind === "open" ? `o${msg.sendId}${cls}` : `c${msg.sendId}.${msg.linkIndex}${cls}`;
  let w = current.get(key);
  if (!w) {
    w = previous.get(key) ?? { start: now, count: 0 };
    if (current.size >= GENERATION) {
      previous = current;
      current = new Map();
    }
    current.set(key, w);
  }
  if (now - w.start >= WINDOW_MS) {
    w.start = now;
    w.count = 0;
  }
  return ++w.count <= EVENTS_PER_WINDOW;
}
