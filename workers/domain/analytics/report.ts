import { and, asc, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import {
  campaignBounceRollups,
  campaignDomainRollups,
  campaignRollupsHourly,
  linkRollups,
} from "../../../schema/events";
import { type Database, queryRows } from "../../lib/db";
import { getCampaign } from "../campaigns/campaigns";
import { deliveryFigures } from "../campaigns/stats";

/**
 * The campaign report, read from rollups only (hourly counters, per link, per recipient domain,
 * per bounce reason), so its cost depends on the campaign's hours and links, never on how many
 * recipients or raw events there are.
 */

const int = (col: unknown) => sql<number>`coalesce(sum(${col}), 0)::int`;

/** Human clicks per link, most clicked first. */
export async function campaignLinks(db: Database, campaignId: string) {
  await getCampaign(db, campaignId);
  const rows = await db
    .select({ url: linkRollups.url, clicks: linkRollups.clicks, uniqueClicks: linkRollups.uniqueClicks })
    .from(linkRollups)
    .where(eq(linkRollups.campaignId, campaignId))
    .orderBy(desc(linkRollups.clicks), asc(linkRollups.url))
    .limit(500);
  const total = rows.reduce((n, r) => n + r.clicks, 0);
  return rows.map((r) => ({ ...r, share: total > 0 ? Math.round((r.clicks / total) * 10_000) / 10_000 : 0 }));
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : 0);

/** Per recipient domain: sent, bounces, complaints, unique opens and clicks, with rates; largest first. */
export async function campaignDomains(db: Database, campaignId: string, limit = 50) {
  await getCampaign(db, campaignId);
  const d = campaignDomainRollups;
  const rows = await db
    .select()
    .from(d)
    .where(eq(d.campaignId, campaignId))
    .orderBy(desc(d.sent), asc(d.domain))
    .limit(limit);
  return rows.map(({ campaignId: _, refused, ...r }) => ({
    ...r,
    openRate: rate(r.uniqueOpens, r.sent),
    clickRate: rate(r.uniqueClicks, r.sent),
    bounceRate: deliveryFigures({ ...r, delivered: 0, refused }).bounceRate,
  }));
}

/** Bounces by reason and hard/soft, most frequent first. */
export async function campaignBounceReasons(db: Database, campaignId: string) {
  await getCampaign(db, campaignId);
  const b = campaignBounceRollups;
  return db
    .select({ reason: b.reason, hard: b.hard, bounces: b.bounces })
    .from(b)
    .where(eq(b.campaignId, campaignId))
    .orderBy(desc(b.bounces), asc(b.reason));
}

/** Overview KPIs over a time range, with a daily series; every figure from the hourly rollups. */
export async function overview(db: Database, range: { from: Date; to: Date }) {
  const r = campaignRollupsHourly;
  const inRange = and(gte(r.hour, range.from), lt(r.hour, range.to));
  const t = await rangeTotals(db, inRange);
  const series = await dailySeries(db, inRange);
  const growth = await subscriberGrowth(db, range);
  const { refused, ...kpis } = t;
  const figures = deliveryFigures(t);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    ...kpis,
    delivered: figures.delivered,
    openRate: rate(t.uniqueOpens, t.sent),
    clickRate: rate(t.uniqueClicks, t.sent),
    clickToOpenRate: rate(t.uniqueClicks, t.uniqueOpens),
    bounceRate: figures.bounceRate,
    complaintRate: rate(t.complaints, t.sent),
    unsubscribeRate: rate(t.unsubscribes, t.sent),
    newSubscribers: growth?.new_subscribers ?? 0,
    activeSubscribers: growth?.active_subscribers ?? 0,
    series,
  };
}

/** Every counter summed over the range, and how many campaigns it covers (zeros when none). */
async function rangeTotals(db: Database, inRange: SQL | undefined) {
  const r = campaignRollupsHourly;
  const [totals] = await db
    .select({
      sent: int(r.sent),
      delivered: int(r.delivered),
      failed: int(r.failed),
      opens: int(r.opens),
      uniqueOpens: int(r.uniqueOpens),
      machineOpens: int(r.machineOpens),
      clicks: int(r.clicks),
      uniqueClicks: int(r.uniqueClicks),
      bounces: int(r.bounces),
      refused: int(r.refused),
      complaints: int(r.complaints),
      unsubscribes: int(r.unsubscribes),
      campaigns: sql<number>`count(distinct ${r.campaignId})::int`,
    })
    .from(r)
    .where(inRange);
  return (
    totals ?? {
      sent: 0,
      delivered: 0,
      failed: 0,
      opens: 0,
      uniqueOpens: 0,
      machineOpens: 0,
      clicks: 0,
      uniqueClicks: 0,
      bounces: 0,
      refused: 0,
      complaints: 0,
      unsubscribes: 0,
      campaigns: 0,
    }
  );
}

/** The main counters per UTC day of the range. */
async function dailySeries(db: Database, inRange: SQL | undefined) {
  const r = campaignRollupsHourly;
  return db
    .select({
      day: sql<string>`to_char(date_trunc('day', ${r.hour}, 'UTC'), 'YYYY-MM-DD')`,
      sent: int(r.sent),
      uniqueOpens: int(r.uniqueOpens),
      uniqueClicks: int(r.uniqueClicks),
      opens: int(r.opens),
      clicks: int(r.clicks),
      bounces: int(r.bounces),
      unsubscribes: int(r.unsubscribes),
    })
    .from(r)
    .where(inRange)
    .groupBy(sql`1`)
    .orderBy(sql`1`);
}

/** Subscribers created in the range, and active ones now. */
async function subscriberGrowth(db: Database, range: { from: Date; to: Date }) {
  const [growth] = await queryRows<{ new_subscribers: number; active_subscribers: number }>(
    db,
    sql`
    select
      (select count(*)::int from subscribers where created_at >= ${range.from} and created_at < ${range.to}) as new_subscribers,
      (select count(*)::int from subscribers where status = 'active') as active_subscribers`,
  );
  return growth;
}
