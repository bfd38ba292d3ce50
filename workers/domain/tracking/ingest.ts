import { type SQL, sql } from "drizzle-orm";
import type { EventKind } from "../../../schema/events";
import { type Database, queryRows } from "../../lib/db";
import { emitIngestedEvents } from "../webhooks/emit";
import { domainDeltas, upsertBounceRollups, upsertDomainRollups } from "./breakdowns";
import type { EventRecord } from "./event-record";
import { firstHumanOpensAndClicks, lockEngagedSends, newLinkClicks, scannerTimingRule } from "./open-click";

/**
 * The one way events get into Postgres: `ingestEvents(db, records)` stores a batch idempotently
 * and keeps every counter derived from it, in one transaction and a fixed number of statements
 * whatever the batch size:
 *
 * 1. one multi-row `INSERT INTO events … ON CONFLICT (dedupe_key) DO NOTHING RETURNING`, so a
 *    redelivered batch inserts nothing and changes nothing below (all later steps read only the
 *    rows this statement actually inserted). Opens and clicks from the tracking endpoints are
 *    keyed per send, kind, link, class and 5-minute bucket (`dedupe.ts`), so a replayed pixel or
 *    link is stored, and counted, at most once per bucket;
 * 2. for those rows: the first human open and click of each send set `sends.opened_at` /
 *    `clicked_at` (`… WHERE opened_at IS NULL RETURNING`: that is what makes unique counts exact),
 *    and the per-hour campaign rollups and per-link rollups are upserted with `x = x + excluded.x`.
 *
 * Steps 1 and 2 are a single statement of data-modifying CTEs; human opens and clicks add one
 * statement before it that locks their sends (see `lockEngagedSends`). The rollups are kept here and only here:
 * producers of bounces, complaints, unsubscribes and deliveries hand their events to this function
 * and never update `campaign_rollups_hourly` themselves, or they would count twice.
 *
 * Machine events (privacy-proxy opens, scanner clicks) are stored with `machine = true`, counted in
 * `machine_opens`, and never in opens, unique opens, clicks or unique clicks.
 */

export interface IngestOptions {
  /**
   * A click this many seconds or less after the send's `sent_at` is a scanner's. Default: the
   * `sending` setting's `scannerClickSeconds` (domain/settings.ts), else 10.
   */
  scannerClickSeconds?: number;
}

/** An event this call stored (duplicates of stored events are not listed). */
export interface IngestedEvent {
  id: number;
  /**
   * The producer's key, so a producer can tell which of its records were new (a click the scanner
   * timing rule flags is stored under its key + `:t`, see `scannerTimingRule`).
   */
  dedupeKey: string;
  kind: EventKind;
  sendId: number | null;
  campaignId: string | null;
  subscriberId: string | null;
  machine: boolean;
}

export interface IngestResult {
  received: number;
  /** Newly stored events; `received - inserted.length` were already there (redelivery). */
  inserted: IngestedEvent[];
  /** Sends whose first human open / click this batch recorded (the unique counts added). */
  firstOpens: number;
  firstClicks: number;
}

/** Seconds after `sent_at` within which a click counts as a scanner's, unless configured. */
export const DEFAULT_SCANNER_CLICK_SECONDS = 10;

/** Stores a batch of events once each and updates send first-opens/clicks and the rollups. */
export async function ingestEvents(
  db: Database,
  records: readonly EventRecord[],
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const batch = uniqueByKey(records);
  if (batch.length === 0) return { received: records.length, inserted: [], firstOpens: 0, firstClicks: 0 };
  const rows = await db.transaction(async (tx) => {
    await lockEngagedSends(tx, batch);
    const stored = await queryRows<StoredRow>(tx, ingestStatement(batch, opts));
    // Outgoing webhooks (email.sent … email.clicked) commit with the events they tell of.
    await emitIngestedEvents(
      tx,
      stored.map((r) => Number(r.id)),
    );
    return stored;
  });
  return {
    received: records.length,
    inserted: rows.map((r) => ({
      id: Number(r.id),
      dedupeKey: r.dedupe_key,
      kind: r.kind,
      sendId: r.send_id === null ? null : Number(r.send_id),
      campaignId: r.campaign_id,
      subscriberId: r.subscriber_id,
      machine: r.machine,
    })),
    firstOpens: Number(rows[0]?.first_opens ?? 0),
    firstClicks: Number(rows[0]?.first_clicks ?? 0),
  };
}

interface StoredRow {
  id: string | number;
  dedupe_key: string;
  kind: EventKind;
  send_id: string | number | null;
  campaign_id: string | null;
  subscriber_id: string | null;
  machine: boolean;
  first_opens: string | number;
  first_clicks: string | number;
}

/** The first record of each dedupe key: a batch may carry the same message twice. */
function uniqueByKey(records: readonly EventRecord[]): EventRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    if (seen.has(r.dedupeKey)) return false;
    seen.add(r.dedupeKey);
    return true;
  });
}

/** The batch as one jsonb parameter: one bind value however many rows, parsed by the server. */
function inputJson(batch: readonly EventRecord[]): string {
  return JSON.stringify(
    batch.map((r) => ({
      kind: r.kind,
      dedupe_key: r.dedupeKey,
      occurred_at: r.occurredAt.toISOString(),
      send_id: r.sendId ?? null,
      campaign_id: r.campaignId ?? null,
      variant_id: r.variantId ?? null,
      subscriber_id: r.subscriberId ?? null,
      name: r.name ?? null,
      link_id: r.linkId ?? null,
      url: r.url ?? null,
      machine: r.machine ?? false,
      client: r.client ?? null,
      user_agent: r.userAgent ?? null,
      ip: r.ip ?? null,
      data: r.data ?? null,
    })),
  );
}

/** The seconds of the scanner timing rule: the option, else the `sending` setting, else 10. */
function scannerSeconds(opts: IngestOptions): SQL {
  const given = opts.scannerClickSeconds;
  if (given !== undefined)
    return sql`${Number.isFinite(given) ? given : DEFAULT_SCANNER_CLICK_SECONDS}::float8`;
  return sql`coalesce(
    (select (value->>'scannerClickSeconds')::float8 from settings
      where key = 'sending' and jsonb_typeof(value->'scannerClickSeconds') = 'number'),
    ${DEFAULT_SCANNER_CLICK_SECONDS}::float8)`;
}

/** Counter columns of `campaign_rollups_hourly` that a stored event adds one to, by condition. */
const KIND_COUNTERS = [
  ["kind = 'sent'", "sent"],
  ["kind = 'delivered'", "delivered"],
  ["kind = 'failed'", "failed"],
  ["kind = 'bounce'", "bounces"],
  // Refused at send time: never accepted, so not in `sent` (bounce rate = bounces / (sent + refused)).
  ["kind = 'bounce' and data->>'source' = 'smtp'", "refused"],
  ["kind = 'complaint'", "complaints"],
  ["kind = 'unsubscribe'", "unsubscribes"],
] as const;

const ROLLUP_COLUMNS = [
  "opens",
  "unique_opens",
  "machine_opens",
  "clicks",
  "unique_clicks",
  ...KIND_COUNTERS.map(([, column]) => column),
] as const;

/**
 * Per (campaign, variant, hour) increments from the stored rows and the sends' first opens and
 * clicks, in ROLLUP_COLUMNS order. Hours are cut in UTC whatever the session's time zone.
 */
function campaignDeltas(): SQL {
  const kinds = KIND_COUNTERS.map(([condition, column]) =>
    sql.raw(`count(*) filter (where ${condition}) as ${column}`),
  );
  const zeros = KIND_COUNTERS.map(() => sql.raw("0"));
  return sql`
    select campaign_id, variant_id, date_trunc('hour', occurred_at, 'UTC') as hour,
      count(*) filter (where kind = 'open' and not machine) as opens, 0 as unique_opens,
      count(*) filter (where kind = 'open' and machine) as machine_opens,
      count(*) filter (where kind = 'click' and not machine) as clicks, 0 as unique_clicks,
      ${sql.join(kinds, sql`, `)}
    from ins where campaign_id is not null group by 1, 2, 3
    union all
    select campaign_id, variant_id, date_trunc('hour', new_open, 'UTC'), 0, 1, 0, 0, 0, ${sql.join(zeros, sql`, `)}
    from firsts where campaign_id is not null and new_open is not null
    union all
    select campaign_id, variant_id, date_trunc('hour', new_click, 'UTC'), 0, 0, 0, 0, 1, ${sql.join(zeros, sql`, `)}
    from firsts where campaign_id is not null and new_click is not null`;
}

/**
 * Adds the deltas to `campaign_rollups_hourly`. Campaigns that no longer exist are skipped rather
 * than failing the batch on the foreign key (events may arrive after a campaign is deleted).
 */
function upsertCampaignRollups(): SQL {
  const cols = sql.raw(ROLLUP_COLUMNS.join(", "));
  const sums = sql.raw(ROLLUP_COLUMNS.map((c) => `sum(d.${c})::int`).join(", "));
  const adds = sql.raw(ROLLUP_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`).join(", "));
  return sql`
    insert into campaign_rollups_hourly as r (campaign_id, variant_id, hour, ${cols})
    select d.campaign_id, d.variant_id, d.hour, ${sums}
    from campaign_deltas d join campaigns c on c.id = d.campaign_id
    group by d.campaign_id, d.variant_id, d.hour
    on conflict (campaign_id, variant_key, hour) do update set ${adds}`;
}

/** Adds human clicks and first clicks per (send, url) to `link_rollups`, per campaign and URL. */
function upsertLinkRollups(): SQL {
  return sql`
    insert into link_rollups as r (campaign_id, url, clicks, unique_clicks)
    select i.campaign_id, i.url, count(*)::int,
      (select count(*) from new_link_clicks n where n.campaign_id = i.campaign_id and n.url = i.url)::int
    from ins i join campaigns c on c.id = i.campaign_id
    where i.kind = 'click' and not i.machine and i.url is not null
    group by i.campaign_id, i.url
    on conflict (campaign_id, url) do update
      set clicks = r.clicks + excluded.clicks, unique_clicks = r.unique_clicks + excluded.unique_clicks`;
}

/**
 * The whole batch as one statement. Every CTE runs on the snapshot taken before the statement,
 * so `events` read here (for earlier link clicks) holds none of this batch's rows.
 */
function ingestStatement(batch: readonly EventRecord[], opts: IngestOptions): SQL {
  return sql`
    with input as (
      select * from jsonb_to_recordset(${inputJson(batch)}::jsonb) as x(
        kind event_kind, dedupe_key text, occurred_at timestamptz, send_id bigint, campaign_id uuid,
        variant_id uuid, subscriber_id uuid, name text, link_id bigint, url text, machine boolean,
        client text, user_agent text, ip text, data jsonb)
    ),
    classified as (${scannerTimingRule(scannerSeconds(opts))}),
    ins as (
      insert into events (kind, name, send_id, campaign_id, variant_id, subscriber_id, link_id, url,
        machine, client, user_agent, ip, occurred_at, dedupe_key, data)
      select kind, name, send_id, campaign_id, variant_id, subscriber_id, link_id, url,
        machine, client, user_agent, ip, occurred_at, dedupe_key, data
      from classified
      on conflict (dedupe_key) do nothing
      returning id, kind, send_id, campaign_id, variant_id, subscriber_id, url, machine, occurred_at, dedupe_key, data
    ),
    firsts as (${firstHumanOpensAndClicks()}),
    new_link_clicks as (${newLinkClicks()}),
    campaign_deltas as (${campaignDeltas()}),
    campaign_rollup as (${upsertCampaignRollups()}),
    link_rollup as (${upsertLinkRollups()}),
    domain_deltas as (${domainDeltas()}),
    domain_rollup as (${upsertDomainRollups()}),
    bounce_rollup as (${upsertBounceRollups()})
    select id, kind, send_id, campaign_id, subscriber_id, machine, dedupe_key,
      (select count(new_open) from firsts) as first_opens,
      (select count(new_click) from firsts) as first_clicks
    from ins`;
}
