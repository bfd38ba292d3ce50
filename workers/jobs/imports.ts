import { applyImportChunk, failImport } from "../domain/audience/imports/apply";
import { sendConfirmationMail } from "../domain/audience/subscriptions/confirmations";
import type { ImportChunkMessage } from "../domain/jobs";
import type { Env } from "../env";
import { type Database, openDbFor } from "../lib/db";
import type { QueueConsumer } from "./consumer";

/** Deliveries of one chunk before the import is marked failed (wrangler.toml allows 5 retries). */
const MAX_ATTEMPTS = 6;

function isChunkMessage(body: unknown): body is ImportChunkMessage {
  const b = body as Partial<ImportChunkMessage> | null;
  return typeof b?.importId === "string" && Number.isInteger(b.seq);
}

/**
 * Chunks applied at once per batch, each on its own connection. Chunks of one import never touch
 * the same subscriber (duplicates are settled at upload), so they only meet briefly on the
 * import's counters. The local queue (wrangler dev) delivers one batch at a time, so this is also
 * where local imports get their parallelism.
 */
const LANES = 3;

/**
 * The imports queue: each message names one chunk, applied in its own transaction. Messages are
 * acknowledged one by one, so a failure retries only its own chunk (with backoff); an applied
 * chunk is never applied twice, whatever the queue redelivers.
 */
export const importsConsumer: QueueConsumer = async (batch, env: Env) => {
  const queue = [...batch.messages];
  const lane = async () => {
    const conn = openDbFor(env);
    try {
      for (let msg = queue.shift(); msg; msg = queue.shift()) await handle(env, conn.db, msg);
    } finally {
      await conn.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, queue.length) }, lane));
};

async function handle(env: Env, db: Database, msg: Message<unknown>): Promise<void> {
  if (!isChunkMessage(msg.body)) {
    console.error(`imports queue: dropping malformed message ${msg.id}`);
    msg.ack();
    return;
  }
  const { importId, seq } = msg.body;
  try {
    const outcome = await applyImportChunk(db, importId, seq);
    // After the commit: a chunk is never applied twice, so neither is its mail (at most once;
    // a failed send leaves the member unconfirmed, to be re-sent from the subscriber page).
    for (const pending of outcome.confirmations) {
      await sendConfirmationMail(env, db, pending).catch((err: unknown) => {
        console.error(
          `import ${importId}: confirmation to subscriber ${pending.subscriber.id} failed: ${String(err)}`,
        );
      });
    }
    msg.ack();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    console.error(`import ${importId} chunk ${seq}: attempt ${msg.attempts} failed: ${reason}`);
    if (msg.attempts >= MAX_ATTEMPTS) {
      await failImport(db, importId, `chunk ${seq} could not be applied: ${reason}`).catch(() => undefined);
      msg.ack();
    } else {
      msg.retry({ delaySeconds: Math.min(60, 2 ** msg.attempts) });
    }
  }
}
