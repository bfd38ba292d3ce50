import { and, asc, eq, sql } from "drizzle-orm";
import { campaignRollupsHourly } from "../../../schema/events";
import { type Database, queryRows } from "../../lib/db";
import { getCampaign } from "../campaigns/campaigns";

/**
 * A campaign's timeline in buckets that fit its span: a one-hour send read per hour is two dots,
 * so a short span is read per minute or per five minutes. Hours and days come from the hourly
 * rollups (cost by hours, never by recipients); minutes need the raw events, so they are read only
 * while those are all still there (the retention purge has not reached them) and at most
 * RAW_EVENTS_LIMIT of them, else the answer stays hourly and its `bucket` says so.
 */

export const TIMELINE_BUCKETS = ["minute", "5min", "hour", "day"] as const;
export type TimelineBucket = (typeof TIMELINE_BUCKETS)[number];
export type TimelineBucketQuery = TimelineBucket | "auto";

/** Raw events a minute timeline may read: about a second of Postgres; beyond it, hours. */
export const RAW_EVENTS_LIMIT = 200_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The finest bucket whose span gives at most ~120-340 points (`auto`). */
const AUTO: [maxSpanMs: number, bucket: TimelineBucket][] = [
  [2 * HOUR, "minute"],
  [12 * HOUR, "5min"],
  [14 * 24 * HOUR, "hour"],
];
const STEP: Record<TimelineBucket, string> = {
  minute: "1 minute",
  "5min": "5 minutes",
  hour: "1 hour",
  day: "1 day",
};

export interface TimelinePoint {
  /** The start of the bucket (ISO, UTC); named `hour` since the first version of this report. */
  hour: string;
  sent: number;
  opens: number;
  uniqueOpens: number;
  machineOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  complaints: number;
  unsubscribes: number;
}

export interface Timeline {
  bucket: TimelineBucket;
  data: TimelinePoint[];
}

const COUNTERS = [
  "sent",
  "opens",
  "uniqueOpens",
  "machineOpens",
  "clicks",
  "uniqueClicks",
  "bounces",
  "complaints",
  "unsubscribes",
] as const;

const int = (col: unknown) => sql<number>`coalesce(sum(${col}), 0)::int`;

/**
 * Opens, clicks, sends and bounces per bucket (human and machine opens apart); buckets without
 * any are left out. `bucket` defaults to `hour`; `auto` picks one from the span of the events.
 */
export async function campaignTimeline(
  db: Database,
  campaignId: string,
  q: { variantId?: string; bucket?: TimelineBucketQuery } = {},
): Promise<Timeline> {
  await getCampaign(db, campaignId);
  const hourly = await hourlyRows(db, campaignId, q.variantId);
  const asked = q.bucket ?? "hour";
  const bucket = asked === "auto" ? await autoBucket(db, campaignId, hourly) : asked;
  if (bucket === "hour") return { bucket, data: hourly };
  if (bucket === "day") return { bucket, data: byDay(hourly) };
  const fine = await rawRows(db, campaignId, q.variantId, bucket, hourly);
  return fine ? { bucket, data: fine } : { bucket: "hour", data: hourly };
}

async function hourlyRows(db: Database, campaignId: string, variantId?: string): Promise<TimelinePoint[]> {
  const r = campaignRollupsHourly;
  const rows = await db
    .select({
      hour: r.hour,
      sent: int(r.sent),
      opens: int(r.opens),
      uniqueOpens: int(r.uniqueOpens),
      machineOpens: int(r.machineOpens),
      clicks: int(r.clicks),
      uniqueClicks: int(r.uniqueClicks),
      bounces: int(r.bounces),
      complaints: int(r.complaints),
      unsubscribes: int(r.unsubscribes),
    })
    .from(r)
    .where(and(eq(r.campaignId, campaignId), variantId ? eq(r.variantId, variantId) : undefined))
    .groupBy(r.hour)
    .orderBy(asc(r.hour));
  return rows.map((row) => ({ ...row, hour: row.hour.toISOString() }));
}

/** Hours summed per UTC day. */
function byDay(hours: TimelinePoint[]): TimelinePoint[] {
  const days = new Map<string, TimelinePoint>();
  for (const h of hours) {
    const day = `${h.hour.slice(0, 10)}T00:00:00.000Z`;
    const sum = days.get(day) ?? { ...h, hour: day, ...zeros() };
    for (const k of COUNTERS) sum[k] += h[k];
    days.set(day, sum);
  }
  return [...days.values()];
}

const zeros = () => Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Omit<TimelinePoint, "hour">;

/** From the first to the last event (two index probes), else from the hours with figures. */
async function autoBucket(
  db: Database,
  campaignId: string,
  hourly: TimelinePoint[],
): Promise<TimelineBucket> {
  const [span] = await queryRows<{ first: string | null; last: string | null }>(
    db,
    sql`select (select min(occurred_at) from events where campaign_id = ${campaignId}::uuid) as first,
      (select max(occurred_at) from events where campaign_id = ${campaignId}::uuid) as last`,
  );
  let ms: number;
  if (span?.first && span.last) ms = Date.parse(span.last) - Date.parse(span.first);
  else if (hourly.length > 0)
    ms = Date.parse(hourly.at(-1)?.hour ?? "") - Date.parse(hourly[0]?.hour ?? "") + HOUR;
  else return "hour";
  return AUTO.find(([max]) => ms <= max)?.[1] ?? "day";
}

/**
 * Minute buckets from the raw events and the sends' first opens and clicks (the very facts the
 * hourly unique counts were added from), or null when they would not add up to the hours: too
 * many to read, some purged already, or more than 2,000 buckets.
 */
async function rawRows(
  db: Database,
  campaignId: string,
  variantId: string | undefined,
  bucket: "minute" | "5min",
  hourly: TimelinePoint[],
): Promise<TimelinePoint[] | null> {
  const total = (k: (typeof COUNTERS)[number]) => hourly.reduce((n, h) => n + h[k], 0);
  const events = total("sent") + total("opens") + total("machineOpens") + total("clicks") + total("bounces");
  if (events > RAW_EVENTS_LIMIT) return null;
  const first = Date.parse(hourly[0]?.hour ?? "");
  const last = Date.parse(hourly.at(-1)?.hour ?? "") + HOUR;
  if (hourly.length === 0 || (last - first) / (bucket === "minute" ? MINUTE : 5 * MINUTE) > 2000) return null;
  const rows = await queryRows<Omit<TimelinePoint, "hour"> & { at: string }>(
    db,
    rawQuery(campaignId, variantId, bucket),
  );
  const data = rows.map(({ at, ...counts }) => ({ hour: new Date(at).toISOString(), ...counts }));
  const sums = (k: (typeof COUNTERS)[number]) => data.reduce((n, p) => n + p[k], 0);
  return COUNTERS.every((k) => sums(k) === total(k)) ? data : null;
}

function rawQuery(campaignId: string, variantId: string | undefined, bucket: "minute" | "5min") {
  // Constants only: the step comes from STEP, the column from this function.
  const bin = (col: string) =>
    sql.raw(`date_bin('${STEP[bucket]}'::interval, ${col}, timestamptz '2000-01-01 00:00:00+00')`);
  const eventVariant = variantId ? sql`and variant_id = ${variantId}::uuid` : sql``;
  const sendVariant = variantId ? sql`and variant_id = ${variantId}::uuid` : sql``;
  return sql`
    select at, sum(sent)::int as "sent", sum(opens)::int as "opens", sum(unique_opens)::int as "uniqueOpens",
      sum(machine_opens)::int as "machineOpens", sum(clicks)::int as "clicks",
      sum(unique_clicks)::int as "uniqueClicks", sum(bounces)::int as "bounces",
      sum(complaints)::int as "complaints", sum(unsubscribes)::int as "unsubscribes"
    from (
      select ${bin("occurred_at")} as at,
        count(*) filter (where kind = 'sent') as sent,
        count(*) filter (where kind = 'open' and not machine) as opens, 0 as unique_opens,
        count(*) filter (where kind = 'open' and machine) as machine_opens,
        count(*) filter (where kind = 'click' and not machine) as clicks, 0 as unique_clicks,
        count(*) filter (where kind = 'bounce') as bounces,
        count(*) filter (where kind = 'complaint') as complaints,
        count(*) filter (where kind = 'unsubscribe') as unsubscribes
      from events where campaign_id = ${campaignId}::uuid ${eventVariant}
        and kind in ('sent', 'open', 'click', 'bounce', 'complaint', 'unsubscribe')
      group by 1
      union all
      select ${bin("opened_at")}, 0, 0, count(*), 0, 0, 0, 0, 0, 0
      from sends where campaign_id = ${campaignId}::uuid ${sendVariant} and opened_at is not null group by 1
      union all
      select ${bin("clicked_at")}, 0, 0, 0, 0, 0, count(*), 0, 0, 0
      from sends where campaign_id = ${campaignId}::uuid ${sendVariant} and clicked_at is not null group by 1
    ) b
    group by at
    order by at`;
}
