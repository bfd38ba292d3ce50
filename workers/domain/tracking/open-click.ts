import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../lib/db";
import { sendDomain } from "./breakdowns";
import type { EventRecord } from "./event-record";

/**
 * The open- and click-specific parts of the ingest statement (`ingest.ts`): the scanner timing
 * rule, first human opens and clicks per send, and first human clicks per (send, URL). Each returns
 * the body of one CTE of that statement, reading the CTEs named in its summary.
 */

/**
 * `classified` from `input`: a click no later than `seconds` after its send's `sent_at` is a
 * scanner's (gateways fetch every link as the message arrives; people are not that fast). It is
 * flagged machine and labelled `scanner:timing`; only this statement can apply the rule, since
 * only the database knows `sent_at`. Its dedupe key gets `:t`: a tracking event's key holds its
 * class (dedupe.ts), and the reader's own click in the same bucket must not share the scanner's.
 */
export function scannerTimingRule(seconds: SQL): SQL {
  // A correlated subquery under CASE: one primary-key lookup per human-looking click and none for
  // the rest (a join lets the planner hash the whole sends table for a batch of 100).
  return sql`
    select kind, name, send_id, campaign_id, variant_id, subscriber_id, link_id, url,
      user_agent, ip, occurred_at, case when fast then dedupe_key || ':t' else dedupe_key end as dedupe_key, data,
      machine or coalesce(fast, false) as machine,
      case when fast then 'scanner:timing' else client end as client
    from (
      select i.*, case when i.kind = 'click' and not i.machine then (
        select i.occurred_at <= s.sent_at + make_interval(secs => ${seconds}) from sends s
        where s.id = i.send_id
      ) end as fast
      from input i
    ) t`;
}

/**
 * `firsts` from `ins`: the first human open and click of each send. `sends.opened_at` /
 * `clicked_at` are set only where still null, in one UPDATE for both (one statement must not
 * update a row twice), and each returned row says which of the two this batch set: those are the
 * unique opens and clicks, counted once per send, ever. `old` is the row before the update; it is
 * current because `lockEngagedSends` holds these rows from before the statement's snapshot.
 * A person's click proves an open (the pixel may be blocked, or the click come from the text
 * part): a send's first open is its first human open or click, whichever came first, so unique
 * opens always include the unique clicks and click-to-open never passes 100 %.
 */
export function firstHumanOpensAndClicks(): SQL {
  return sql`
    update sends s set
      opened_at = coalesce(s.opened_at, f.first_open),
      clicked_at = coalesce(s.clicked_at, f.first_click)
    from (
      select send_id, campaign_id, variant_id,
        min(occurred_at) as first_open,
        min(occurred_at) filter (where kind = 'click') as first_click
      from ins
      where kind in ('open', 'click') and not machine and send_id is not null
      group by send_id, campaign_id, variant_id
    ) f, sends old
    where s.id = f.send_id and old.id = s.id
      and ((s.opened_at is null and f.first_open is not null) or (s.clicked_at is null and f.first_click is not null))
    returning f.campaign_id, f.variant_id, ${sendDomain("s")} as domain,
      case when old.opened_at is null then f.first_open end as new_open,
      case when old.clicked_at is null then f.first_click end as new_click`;
}

/**
 * `new_link_clicks` from `ins` and `events`: one row per (send, URL) clicked by a person in this
 * batch that no earlier stored human click of the same send had, i.e. the link's unique clicks.
 * `events` here is the statement's snapshot, so it holds every earlier batch and none of this one.
 */
export function newLinkClicks(): SQL {
  return sql`
    select distinct i.send_id, i.campaign_id, i.url from ins i
    where i.kind = 'click' and not i.machine and i.campaign_id is not null and i.url is not null
      and i.send_id is not null
      and not exists (
        select 1 from events p
        where p.send_id = i.send_id and p.kind = 'click' and not p.machine and p.url = i.url
      )`;
}

/**
 * Locks the sends of the batch's human-looking opens and clicks, in id order (so batches never
 * deadlock), before the ingest statement takes its snapshot. Two batches touching the same send
 * then run one after the other, and the second sees all the first did: its `sends.opened_at` /
 * `clicked_at` and its events when looking for earlier clicks of a link. Unique opens, unique
 * clicks and link unique clicks so stay exact with any number of concurrent consumers.
 */
export async function lockEngagedSends(tx: Database, batch: readonly EventRecord[]): Promise<void> {
  const ids = new Set<number>();
  for (const r of batch) {
    if ((r.kind === "open" || r.kind === "click") && !r.machine && r.sendId) ids.add(r.sendId);
  }
  if (ids.size === 0) return;
  await tx.execute(
    sql`select 1 from sends where id = any(${`{${[...ids].join(",")}}`}::bigint[]) order by id for no key update`,
  );
}
