import { recordsFromEventsMessage } from "../domain/tracking/event-message";
import type { EventRecord } from "../domain/tracking/event-record";
import { ingestEvents } from "../domain/tracking/ingest";
import type { Env } from "../env";
import { openDbFor } from "../lib/db";
import type { QueueConsumer } from "./consumer";

/** Backoff for a batch the database refused: 10 s, 20 s, 40 s … at most 10 minutes. */
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));

/** Events per `ingestEvents` transaction: a batch of packs can hold tens of thousands. */
const INGEST_CHUNK = 1000;

/**
 * The events queue (up to 100 messages a batch, wrangler.toml; each message a pack of events or a
 * single one): one connection, one `ingestEvents` transaction per 1,000 events. Malformed events
 * are dropped one by one (logged; a message with nothing valid is acknowledged: retrying cannot fix
 * it); a database failure retries the whole batch with backoff, which is safe because ingestion is
 * idempotent per event.
 */
export const eventsConsumer: QueueConsumer = async (batch, env: Env) => {
  const records: EventRecord[] = [];
  for (const msg of batch.messages) {
    const { records: found, dropped } = recordsFromEventsMessage(msg.body);
    if (dropped > 0)
      console.error(`events queue: dropping ${dropped} malformed event(s) of message ${msg.id}`);
    if (found.length === 0) msg.ack();
    else for (const record of found) records.push(record);
  }
  if (records.length === 0) return;
  const conn = openDbFor(env);
  try {
    for (let at = 0; at < records.length; at += INGEST_CHUNK)
      await ingestEvents(conn.db, records.slice(at, at + INGEST_CHUNK));
    batch.ackAll();
  } catch (err) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    const delaySeconds = retryDelaySeconds(attempts);
    console.error(
      `events queue: batch of ${records.length} not stored (attempt ${attempts}), retry in ${delaySeconds} s: ${
        err instanceof Error ? err.message : String(err)
      }`,
    );
    // Messages acknowledged above stay acknowledged: an explicit ack wins over retryAll.
    batch.retryAll({ delaySeconds });
  } finally {
    await conn.close();
  }
};
