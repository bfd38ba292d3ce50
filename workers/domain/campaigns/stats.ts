import { and, asc, eq, gt, like, type SQL, sql } from "drizzle-orm";
import { campaignRollupsHourly } from "../../../schema/events";
import { type SendStatus, sendChunks, sends } from "../../../schema/sends";
import type { ZoneProgress } from "../../contract/campaigns";
import { type Database, queryRows } from "../../lib/db";
import { BIGINT_ID_MAX, decodeNumberCursor, encodeCursor, INT_MAX, type Page } from "../pagination";
import { getCampaign } from "./campaigns";

export interface Counts {
  sent: number;
  failed: number;
  delivered: number;
  opens: number;
  uniqueOpens: number;
  clicks: number;
  uniqueClicks: number;
  bounces: number;
  refused: number;
  complaints: number;
  unsubscribes: number;
  machineOpens: number;
}

const ZERO: Counts = {
  sent: 0,
  failed: 0,
  delivered: 0,
  opens: 0,
  uniqueOpens: 0,
  clicks: 0,
  uniqueClicks: 0,
  bounces: 0,
  refused: 0,
  complaints: 0,
  unsubscribes: 0,
  machineOpens: 0,
};

const sum = (col: SQL | typeof campaignRollupsHourly.sent) => sql<number>`coalesce(sum(${col}), 0)::int`;

/** Rollup sums per variant key ('' for none): a few small rows per campaign-hour, never raw events. */
async function rollupCounts(db: Database, campaignId: string): Promise<Map<string, Counts>> {
  const r = campaignRollupsHourly;
  const rows = await db
    .select({
      variantKey: r.variantKey,
      sent: sum(r.sent),
      failed: sum(r.failed),
      delivered: sum(r.delivered),
      opens: sum(r.opens),
      uniqueOpens: sum(r.uniqueOpens),
      clicks: sum(r.clicks),
      uniqueClicks: sum(r.uniqueClicks),
      bounces: sum(r.bounces),
      refused: sum(r.refused),
      complaints: sum(r.complaints),
      unsubscribes: sum(r.unsubscribes),
      machineOpens: sum(r.machineOpens),
    })
    .from(r)
    .where(eq(r.campaignId, campaignId))
    .groupBy(r.variantKey);
  return new Map(rows.map(({ variantKey, ...c }) => [variantKey, c]));
}

const add = (a: Counts, b: Counts): Counts =>
  Object.fromEntries(
    Object.keys(ZERO).map((k) => [k, a[k as keyof Counts] + b[k as keyof Counts]]),
  ) as unknown as Counts;

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : 0);

/**
 * Delivered and bounce rate, defined once for every report: `sent` is what the relay accepted,
 * `refused` the bounces it gave at send time (never in `sent`); without delivery reports from
 * the relay, delivered = sent minus the bounces that arrived afterwards.
 */
export function deliveryFigures(c: { sent: number; delivered: number; bounces: number; refused: number }) {
  const delivered = c.delivered > 0 ? c.delivered : Math.max(0, c.sent - (c.bounces - c.refused));
  return { delivered, bounceRate: rate(c.bounces, c.sent + c.refused) };
}

/** The campaign's numbers: audience, progress, engagement (human only), per variant for A/B. */
export async function campaignStats(db: Database, campaignId: string) {
  const campaign = await getCampaign(db, campaignId);
  const byVariant = await rollupCounts(db, campaignId);
  const total = [...byVariant.values()].reduce(add, ZERO);
  const audience = campaign.audienceSize ?? 0;
  const processed = campaign.sentCount + campaign.failedCount + campaign.bounceCount;
  const [queued] = await queryRows<{ n: number }>(
    db,
    sql`select coalesce(sum(size), 0)::int as n from ${sendChunks} where campaign_id = ${campaignId}::uuid and status <> 'done'`,
  );
  // Messages on the wire right now (claimed, no outcome yet): after a pause or cancel the page
  // keeps following until these have settled, so its counts end equal to what the relay took.
  const [inFlight] = await queryRows<{ n: number; skipped: number }>(
    db,
    sql`select count(*) filter (where status = 'sending')::int as n,
      count(*) filter (where status = 'skipped')::int as skipped
      from ${sends} where campaign_id = ${campaignId}::uuid and status in ('sending', 'skipped')`,
  );
  const variants =
    campaign.variants.length > 0
      ? await Promise.all(
          campaign.variants.map(async (v) => {
            const [n] = await queryRows<{ n: number }>(
              db,
              sql`select count(*)::int as n from ${sends} where campaign_id = ${campaignId}::uuid and variant_id = ${v.id}::uuid`,
            );
            return {
              id: v.id,
              name: v.name,
              isWinner: v.isWinner,
              audience: n?.n ?? 0,
              ...(byVariant.get(v.id) ?? ZERO),
            };
          }),
        )
      : undefined;
  const { delivered, bounceRate } = deliveryFigures(total);
  return {
    status: campaign.status,
    audience,
    queued: Math.max(0, Math.min(queued?.n ?? 0, audience - processed)),
    inFlight: inFlight?.n ?? 0,
    skipped: inFlight?.skipped ?? 0,
    ...total,
    delivered,
    openRate: rate(total.uniqueOpens, total.sent),
    clickRate: rate(total.uniqueClicks, total.sent),
    bounceRate,
    ...(variants ? { variants } : {}),
    ...(campaign.localTime && campaign.frozenAt ? { zones: await zoneProgress(db, campaignId) } : {}),
  };
}

/**
 * A local-time campaign's progress per zone, in release order: the chunks say when each zone
 * goes and what was released; the ledger rows (which carry their zone) what became of them.
 */
export async function zoneProgress(db: Database, campaignId: string): Promise<ZoneProgress[]> {
  const rows = await queryRows<{
    timezone: string;
    release_at: Date | string;
    local_release_at: string;
    audience: number;
    released: number;
    sent: number;
    not_sent: number;
    open: number;
  }>(
    db,
    sql`
    with chunks as (
      select timezone, min(release_at) as release_at, sum(size)::int as audience,
        coalesce(sum(size) filter (where status <> 'pending'), 0)::int as released
      from ${sendChunks} where campaign_id = ${campaignId}::uuid and timezone is not null
      group by timezone
    ), rows as (
      select timezone, count(*) filter (where sent_at is not null)::int as sent,
        count(*) filter (where sent_at is null and status in ('failed', 'bounced', 'skipped'))::int as not_sent,
        count(*) filter (where status in ('queued', 'sending'))::int as open
      from ${sends} where campaign_id = ${campaignId}::uuid group by timezone
    )
    select k.timezone, k.release_at,
      to_char(k.release_at at time zone k.timezone, 'YYYY-MM-DD HH24:MI') as local_release_at,
      k.audience, k.released, coalesce(r.sent, 0) as sent, coalesce(r.not_sent, 0) as not_sent,
      coalesce(r.open, 0) as open
    from chunks k left join rows r on r.timezone = k.timezone
    order by k.release_at, k.timezone`,
  );
  return rows.map((r) => ({
    timezone: r.timezone,
    releaseAt: new Date(r.release_at).toISOString(),
    localReleaseAt: r.local_release_at,
    audience: Number(r.audience),
    released: Number(r.released),
    sent: Number(r.sent),
    notSent: Number(r.not_sent),
    status:
      Number(r.released) === 0 && Number(r.open) > 0 ? "waiting" : Number(r.open) > 0 ? "sending" : "done",
  }));
}

/** The per-recipient send log, by send id, filtered by status or email prefix. */
export async function listSends(
  db: Database,
  campaignId: string,
  q: { limit: number; cursor?: string; status?: SendStatus; q?: string },
): Promise<Page<typeof sends.$inferSelect>> {
  const after = decodeNumberCursor(q.cursor, BIGINT_ID_MAX);
  await getCampaign(db, campaignId);
  const conds = [eq(sends.campaignId, campaignId)];
  if (q.status) conds.push(eq(sends.status, q.status));
  if (q.q) conds.push(like(sql`lower(${sends.email})`, `${q.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`));
  if (after !== null) conds.push(gt(sends.id, after));
  const rows = await db
    .select()
    .from(sends)
    .where(and(...conds))
    .orderBy(asc(sends.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: String(last.id) }) : null };
}

/** The campaign's chunks in order, optionally of one status (`dead`: the dashboard's "delivery problems"). */
export async function listChunks(
  db: Database,
  campaignId: string,
  q: { limit: number; cursor?: string; status?: "pending" | "queued" | "done" | "dead" },
) {
  const after = decodeNumberCursor(q.cursor, INT_MAX);
  await getCampaign(db, campaignId);
  const conds = [eq(sendChunks.campaignId, campaignId)];
  if (q.status) conds.push(eq(sendChunks.status, q.status));
  if (after !== null) conds.push(gt(sendChunks.seq, after));
  const rows = await db
    .select()
    .from(sendChunks)
    .where(and(...conds))
    .orderBy(asc(sendChunks.seq))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: String(last.seq) }) : null };
}
