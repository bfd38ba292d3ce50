import { recordFromTrackingMessage } from "../domain/tracking/event-message";
import type { EventRecord } from "../domain/tracking/event-record";
import { ingestEvents } from "../domain/tracking/ingest";
import type { Env } from "../env";
import { openDb } from "../lib/db";
import type { QueueConsumer } from "./queue";

/** Backoff for a batch the database refused: 10 s, 20 s, 40 s … at most 10 minutes. */
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));

/**
 * The events queue (up to 100 messages a batch, wrangler.toml): one connection and one
 * `ingestEvents` transaction per batch. Malformed messages are dropped one by one (acknowledged and
 * logged: retrying cannot fix them); a database failure retries the whole batch with backoff, which
 * is safe because ingestion is idempotent per event.
 */
export const eventsConsumer: QueueConsumer = async (batch, env: Env) => {
  const records: EventRecord[] = [];
  for (const msg of batch.messages) {
    const record = recordFromTrackingMessage(msg.body);
    if (record) {
      records.push(record);
    } else {
      console.error(`events queue: dropping malformed message ${msg.id}`);
      msg.ack();
    }
  }
  if (records.length === 0) return;
  const conn = openDb(env.DATABASE_URL, { driver: env.DATABASE_DRIVER, neonWsProxy: env.NEON_WS_PROXY });
  try {
    await ingestEvents(conn.db, records);
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
