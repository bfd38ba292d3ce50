import { type SQL, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { sendChunks, sends } from "../../../schema/sends";
import { type Database, queryRows } from "../../lib/db";
import { subscriberZoneSql } from "../audience/zone";
import { getSettingsOf } from "../settings";
import { type AudienceSpec, audienceCondition, CHUNK_SIZE } from "./audience";

/**
 * Local-time campaigns ("deliver at 09:00 in each subscriber's time zone"). `sendAt` read in the
 * campaign's zone (its `timezone`, else the organisation's) gives a wall-clock time; each
 * recipient's zone is resolved once, at the freeze (`subscriberZoneSql`: field, seen, organisation),
 * stored on their ledger row, and their chunk waits (`pending`, `release_at`) until that zone's
 * clock shows the wall-clock time. The cron releases due chunks (`releaseDueChunks`), which then
 * go through the one send path: fenced claims, pause and cancel, exactly once.
 *
 * The window: the first zone to get there is UTC+14 (Pacific/Kiritimati), the last UTC-12, so a
 * campaign releases over up to 26 hours. The audience is frozen once, when the first possible
 * zone gets there (`LEAD_HOURS` before the wall-clock time read as UTC); zones whose time has
 * already passed at the freeze (a campaign scheduled less than 14 hours ahead) go at once.
 */

/** The earliest offset on Earth (UTC+14): the freeze happens this long before the wall clock in UTC. */
export const LEAD_HOURS = 14;

/** The wall-clock time of a local-time campaign as SQL text 'YYYY-MM-DD HH24:MI:SS' (`c` is the campaigns alias). */
function wallClockOf(c: string, orgZone: string): SQL {
  const t = sql.raw(c);
  return sql`to_char(${t}.send_at at time zone coalesce(${t}.timezone, ${orgZone}::text), 'YYYY-MM-DD HH24:MI:SS')`;
}

/**
 * The condition, over campaigns `c`, of a scheduled campaign due to start at `now`: `send_at` has
 * come, or for a local-time campaign the first zone on Earth has reached its wall-clock time.
 */
export async function dueToStartSql(db: Database, now: Date): Promise<SQL> {
  const { timezone } = await getSettingsOf(db, ["timezone"]);
  const at = now.toISOString();
  return sql`c.status = 'scheduled' and c.send_at <= ${at}::timestamptz + interval '26 hours' and (
    c.send_at <= ${at}::timestamptz or (c.local_time and
      (${wallClockOf("c", timezone)}::timestamp - make_interval(hours => ${LEAD_HOURS})) at time zone 'UTC'
        <= ${at}::timestamptz))`;
}

/**
 * Freezes a local-time audience into the
 * ledger with each recipient's zone, ordered by release time and zone so each zone's rows are a
 * range of consecutive send ids; then cuts chunks per zone, each `pending` with its `release_at`.
 * Runs in the caller's transaction. Returns the size and the number of chunks.
 */
export async function freezeLocalTime(
  tx: Database,
  campaignId: string,
  spec: AudienceSpec,
): Promise<{ size: number; chunks: number }> {
  const where = await audienceCondition(tx, spec);
  const { timezone: orgZone } = await getSettingsOf(tx, ["timezone"]);
  const [c] = await queryRows<{ wall: string }>(
    tx,
    sql`select ${wallClockOf("c", orgZone)} as wall from ${campaigns} c where c.id = ${campaignId}::uuid`,
  );
  if (!c) return { size: 0, chunks: 0 };
  const [ins] = await queryRows<{ n: number }>(
    tx,
    sql`
    with ins as (
      insert into ${sends} (campaign_id, subscriber_id, email, status, timezone)
      select ${campaignId}::uuid, subscribers.id, subscribers.email, 'queued', z.zone
      from subscribers, lateral (select ${subscriberZoneSql("subscribers", orgZone)} as zone) z
      where ${where}
      order by (${c.wall}::timestamp at time zone z.zone), z.zone, subscribers.id
      on conflict (campaign_id, subscriber_id) do nothing
      returning 1
    ) select count(*)::int as n from ins`,
  );
  return { size: Number(ins?.n ?? 0), chunks: await cutZoneChunks(tx, campaignId, c.wall) };
}

/** Chunks of at most CHUNK_SIZE consecutive send ids within each zone, numbered in release order. */
async function cutZoneChunks(tx: Database, campaignId: string, wall: string): Promise<number> {
  const [res] = await queryRows<{ n: number }>(
    tx,
    sql`
    with numbered as (
      select id, timezone, (row_number() over (partition by timezone order by id) - 1) / ${CHUNK_SIZE} as part
      from ${sends} where campaign_id = ${campaignId}::uuid
    ), ranges as (
      select timezone, part, min(id) as first_id, max(id) as last_id, count(*)::int as size,
        ${wall}::timestamp at time zone timezone as release_at
      from numbered group by timezone, part
    ), ins as (
      insert into ${sendChunks} (campaign_id, seq, phase, first_send_id, last_send_id, size, status, timezone, release_at)
      select ${campaignId}::uuid, (row_number() over (order by release_at, timezone, part))::int - 1,
        'main', first_id, last_id, size, 'pending', timezone, release_at
      from ranges
      on conflict do nothing
      returning 1
    ) select count(*)::int as n from ins`,
  );
  return Number(res?.n ?? 0);
}
