import {
  MAX_PACK_EVENTS,
  type TrackingEventMessage,
  type TrackingEventPack,
} from "../domain/tracking/event-message";
import type { Env } from "../env";

/**
 * Hands tracking events to the events queue after the response, coalesced: the events an isolate
 * collects within a moment travel as one queue message (a `TrackingEventPack`) in one `sendBatch`
 * call, instead of a `send` per request. Measured under workerd, a `send` per request cost about
 * 1 ms of CPU per request, more than everything else on the path together
 * (scripts/bench/tracking.ts); in production it saves a Queues write per event, and a queue's
 * 5,000 messages per second limit stops being a limit on opens and clicks.
 *
 * An event waits at most FLUSH_DELAY_MS (100 ms: the consumer batches for 2 s anyway) in memory,
 * inside the `waitUntil` of the request that started the wait (so the runtime keeps the isolate
 * until it is sent). The buffer holds plain objects only, never an I/O object, so sharing it
 * between requests is allowed.
 */

const FLUSH_DELAY_MS = 100;
/** So many waiting events are sent at once, without waiting for the delay. */
const FLUSH_AT_EVENTS = 500;
/** Queues' limits: 128 KB per message, 100 messages and 256 KB per sendBatch; these leave headroom. */
const MAX_PACK_BYTES = 96 * 1024;
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 192 * 1024;

const pending: TrackingEventMessage[] = [];
let flushScheduled = false;

/** A safe upper bound of a message's JSON size (UTF-8 may take 3 bytes per UTF-16 unit). */
const sizeOf = (m: TrackingEventMessage) =>
  400 + 3 * ((m.url?.length ?? 0) + m.ua.length) + (m.tz ? 8 + m.tz.length : 0);

/** Queues `msg` for the events queue; never throws and never delays the response. */
export function enqueueEvent(env: Env, ctx: ExecutionContext, msg: TrackingEventMessage): void {
  pending.push(msg);
  if (pending.length >= FLUSH_AT_EVENTS) {
    ctx.waitUntil(flush(env));
  } else if (!flushScheduled) {
    flushScheduled = true;
    ctx.waitUntil(
      new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS)).then(() => {
        flushScheduled = false;
        return flush(env);
      }),
    );
  }
}

/** The next pack off the front of `pending`: as many events as fit `budget` bytes (at least one). */
function takePack(budget: number): { events: TrackingEventMessage[]; bytes: number } {
  let bytes = 0;
  let n = 0;
  while (n < pending.length && n < MAX_PACK_EVENTS) {
    const size = sizeOf(pending[n] as TrackingEventMessage);
    if (n > 0 && bytes + size > budget) break;
    bytes += size;
    n++;
  }
  return { events: pending.splice(0, n), bytes };
}

/** Sends everything pending, as packs, in batches within the Queues limits. */
async function flush(env: Env): Promise<void> {
  while (pending.length > 0) {
    const packs: TrackingEventMessage[][] = [];
    let bytes = 0;
    while (pending.length > 0 && packs.length < MAX_BATCH_MESSAGES) {
      const budget = Math.min(MAX_PACK_BYTES, MAX_BATCH_BYTES - bytes);
      if (packs.length > 0 && sizeOf(pending[0] as TrackingEventMessage) > budget) break;
      const pack = takePack(budget);
      packs.push(pack.events);
      bytes += pack.bytes;
    }
    try {
      await env.EVENTS_QUEUE.sendBatch(
        packs.map((events) => ({
          body: { v: 1, events } satisfies TrackingEventPack,
          contentType: "json" as const,
        })),
      );
    } catch (err) {
      // Lost, like a failed send: the answer has gone out, and the tracking path never blocks on this.
      const count = packs.reduce((n, p) => n + p.length, 0);
      console.error(`tracking: ${count} event(s) not queued: ${String(err)}`);
    }
  }
}
