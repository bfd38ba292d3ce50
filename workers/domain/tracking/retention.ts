import { eq, sql } from "drizzle-orm";
import { settings } from "../../../schema/settings";
import { affectedRows, type Database } from "../../lib/db";

/** How long raw events are kept when the `retention` setting says nothing: about 13 months. */
export const DEFAULT_EVENTS_DAYS = 400;

export interface PurgeOptions {
  /** Rows per DELETE: short statements keep locks and WAL bursts small. */
  batchSize?: number;
  /** DELETEs per call at most; the cron calls again next minute for whatever is left. */
  maxBatches?: number;
}

/**
 * Days of raw events to keep: the `retention` setting's `eventsDays` (`{"eventsDays": 400}`), or
 * 400 when the setting or the key is absent or not a whole number of at least 1.
 */
export async function eventRetentionDays(db: Database): Promise<number> {
  const [row] = await db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, "retention"));
  const days = (row?.value as { eventsDays?: unknown } | undefined)?.eventsDays;
  return Number.isSafeInteger(days) && (days as number) >= 1 ? (days as number) : DEFAULT_EVENTS_DAYS;
}

/**
 * Deletes raw events that occurred more than `olderThanDays` ago (default: the `retention`
 * setting), in bounded batches: at most `batchSize × maxBatches` rows per call (10,000 × 5).
 * Rollups are kept: the dashboard's history outlives the raw rows. Returns the rows deleted.
 */
export async function purgeOldEvents(
  db: Database,
  olderThanDays?: number,
  opts: PurgeOptions = {},
): Promise<number> {
  const days = olderThanDays ?? (await eventRetentionDays(db));
  if (!Number.isFinite(days) || days < 0) throw new Error("purgeOldEvents: olderThanDays must be >= 0");
  const batchSize = opts.batchSize ?? 10_000;
  const maxBatches = opts.maxBatches ?? 5;
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    // The BRIN index on occurred_at finds the old block ranges; ctid keeps the delete a tid scan.
    const n = await affectedRows(
      db,
      sql`
      delete from events where ctid = any(array(
        select ctid from events
        where occurred_at < now() - make_interval(secs => ${days * 86_400}::float8)
        limit ${batchSize}))`,
    );
    total += n;
    if (n < batchSize) break;
  }
  return total;
}
