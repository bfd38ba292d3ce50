import { type SQL, sql } from "drizzle-orm";

/**
 * The report's breakdowns, kept by the ingest statement (`ingest.ts`) beside the hourly rollups:
 * per recipient domain (from the send each event belongs to) and per bounce reason. Each returns
 * the body of one CTE of that statement, reading `ins` (the stored rows) and `firsts` (the first
 * human opens and clicks, which carry their send's domain).
 */

/** The recipient domain of an address: lower-cased part after the last @. */
const domainOf = (email: SQL) => sql`lower(substring(${email} from '@([^@]*)$'))`;

/** `domain_deltas`: sends, bounces, complaints, unsubscribes and first opens/clicks per (campaign, domain). */
export function domainDeltas(): SQL {
  return sql`
    select i.campaign_id, ${domainOf(sql`coalesce(s.email, i.data->>'email')`)} as domain,
      count(*) filter (where i.kind = 'sent') as sent,
      count(*) filter (where i.kind = 'bounce') as bounces,
      count(*) filter (where i.kind = 'bounce' and i.data->>'source' = 'smtp') as refused,
      count(*) filter (where i.kind = 'complaint') as complaints,
      count(*) filter (where i.kind = 'unsubscribe') as unsubscribes,
      0 as unique_opens, 0 as unique_clicks
    from ins i left join sends s on s.id = i.send_id
    where i.campaign_id is not null and i.kind in ('sent', 'bounce', 'complaint', 'unsubscribe')
    group by 1, 2
    union all
    select campaign_id, domain, 0, 0, 0, 0, 0, count(new_open), count(new_click)
    from firsts where campaign_id is not null group by 1, 2`;
}

const DOMAIN_COLUMNS = [
  "sent",
  "bounces",
  "refused",
  "complaints",
  "unsubscribes",
  "unique_opens",
  "unique_clicks",
];

/** Adds `domain_deltas` to `campaign_domain_rollups` (campaigns deleted meanwhile are skipped). */
export function upsertDomainRollups(): SQL {
  const cols = sql.raw(DOMAIN_COLUMNS.join(", "));
  const sums = sql.raw(DOMAIN_COLUMNS.map((c) => `sum(d.${c})::int`).join(", "));
  const adds = sql.raw(DOMAIN_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`).join(", "));
  return sql`
    insert into campaign_domain_rollups as r (campaign_id, domain, ${cols})
    select d.campaign_id, d.domain, ${sums}
    from domain_deltas d join campaigns c on c.id = d.campaign_id
    where d.domain is not null and d.domain <> ''
    group by d.campaign_id, d.domain
    on conflict (campaign_id, domain) do update set ${adds}`;
}

/** Adds the stored bounces to `campaign_bounce_rollups` by reason and hard/soft. */
export function upsertBounceRollups(): SQL {
  return sql`
    insert into campaign_bounce_rollups as r (campaign_id, reason, hard, bounces)
    select i.campaign_id, coalesce(nullif(i.data->>'reason', ''), 'undefined'),
      coalesce((i.data->>'hard')::boolean, false), count(*)::int
    from ins i join campaigns c on c.id = i.campaign_id
    where i.kind = 'bounce'
    group by 1, 2, 3
    on conflict (campaign_id, reason, hard) do update set bounces = r.bounces + excluded.bounces`;
}

/** The send's recipient domain, for `firsts` to return beside each first open or click. */
export const sendDomain = (alias: string) => domainOf(sql.raw(`${alias}.email`));
