import { type SQL, sql } from "drizzle-orm";
import { affectedRows, type Database, queryRows } from "../../lib/db";
import type { CompiledVersion } from "./graph";

/**
 * Who enters: an SQL query of `(subscriber_id uuid, context jsonb, entry_key text)`, one row per
 * trigger occurrence (`entry_key` names it: an event's id, a join's time, an anniversary's year).
 */
export type EntrySource = SQL;

/**
 * Enters subscribers into a workflow in one `INSERT ... SELECT`: only active, unsuppressed
 * subscribers; under re-entry `once` only those never in it, under `after_exit` only those not in
 * it now, under `always` everyone (their runs may overlap). An occurrence already entered is
 * skipped (the unique entry key), so a trigger seen twice enters once. Runs start `running` at
 * the entry node, due now.
 */
function entryStatement(v: CompiledVersion, source: EntrySource, returning: boolean): SQL {
  return sql`with ${policyCtes(v, source)}
    insert into workflow_instances
      (workflow_id, version, subscriber_id, status, current_node, wake_at, context, entry_key, concurrent)
    select ${v.workflowId}::uuid, ${v.version}::int, src.subscriber_id, 'running', ${v.entry}::text, now(),
      src.context, src.entry_key, ${v.reentry === "always"}::boolean
    from src join subscribers s on s.id = src.subscriber_id
    where s.status = 'active'
      and not exists (select 1 from suppressions sp
        where sp.email_hash = encode(sha256(convert_to(lower(btrim(s.email)), 'UTF8')), 'hex'))
      ${v.reentry === "always" ? sql`` : sql`and not exists (select 1 from prior p where p.subscriber_id = src.subscriber_id)`}
    on conflict do nothing
    ${returning ? sql`returning id` : sql``}`;
}

/**
 * The source, and under `once` and `after_exit` the candidates who are (or were) in the workflow,
 * both read before the first row is written. Checking the table being inserted into row by row
 * (`not exists (select ... from workflow_instances ...)`) went quadratic when the table's
 * statistics said it was empty (after a VACUUM ANALYZE of an empty table): the planner then
 * rescanned the table for every candidate, rows this statement had just inserted included
 * (97,000 entries took 167 s instead of 8; BENCHMARKS.md, Workflows). Read into a materialized
 * CTE, the runs seen are those from before the statement, read once, whatever the plan.
 */
function policyCtes(v: CompiledVersion, source: EntrySource): SQL {
  if (v.reentry === "always") return sql`src as (${source})`;
  const src = sql`src as materialized (${source})`;
  const live = v.reentry === "after_exit" ? sql`and x.status in ('running', 'waiting')` : sql``;
  return sql`${src}, prior as materialized (
      select x.subscriber_id from workflow_instances x
      where x.workflow_id = ${v.workflowId}::uuid ${live}
        and x.subscriber_id in (select subscriber_id from src))`;
}

/** Enters a few (an event, a join): the new runs' ids, to advance them at once. */
export async function enterRuns(db: Database, v: CompiledVersion, source: EntrySource): Promise<string[]> {
  if (!v.entry) return [];
  const rows = await queryRows<{ id: string }>(db, entryStatement(v, source, true));
  return rows.map((r) => r.id);
}

/** Enters many (activation with `existing`, a segment check): how many; the runs are drained by the queue. */
export async function enterMany(db: Database, v: CompiledVersion, source: EntrySource): Promise<number> {
  if (!v.entry) return 0;
  return affectedRows(db, entryStatement(v, source, false));
}

/** The trigger as the run's context (`trigger.*` for later nodes: properties, list, campaign). */
export const triggerContext = (fields: SQL) => sql`jsonb_build_object('trigger', ${fields})`;

/** Members of a list now (activation with `existing: true` on a `list_joined` workflow). */
export function listMembersSource(listId: string): EntrySource {
  return sql`select lm.subscriber_id,
      ${triggerContext(sql`jsonb_build_object('type', 'list_joined', 'listId', ${listId}::text)`)} as context,
      'joined:' || coalesce(extract(epoch from coalesce(lm.confirmed_at, lm.consented_at)), 0)::text as entry_key
    from list_memberships lm where lm.list_id = ${listId}::uuid and lm.status = 'confirmed'`;
}

/** Who opened or clicked a campaign (human activity only: `opened_at`/`clicked_at` are set by people). */
export function campaignActivitySource(
  campaignId: string,
  activity: "opened" | "clicked",
  subscriberIds?: string[],
): EntrySource {
  const column = activity === "clicked" ? sql.raw("clicked_at") : sql.raw("opened_at");
  const only = subscriberIds
    ? sql`and sd.subscriber_id = any(${`{${subscriberIds.join(",")}}`}::uuid[])`
    : sql``;
  return sql`select distinct sd.subscriber_id,
      ${triggerContext(sql`jsonb_build_object('type', 'campaign_activity', 'campaignId', ${campaignId}::text, 'activity', ${activity}::text)`)} as context,
      ${`campaign:${campaignId}`}::text as entry_key
    from sends sd where sd.campaign_id = ${campaignId}::uuid and sd.${column} is not null
      and sd.subscriber_id is not null ${only}`;
}

/** One subscriber's custom event. */
export function eventSource(
  subscriberId: string,
  event: { id: string; name: string; properties: Record<string, unknown>; at: string },
): EntrySource {
  const trigger = { type: "event", name: event.name, properties: event.properties, at: event.at };
  return sql`select ${subscriberId}::uuid as subscriber_id, ${JSON.stringify({ trigger })}::jsonb as context,
    ${`event:${event.id}`}::text as entry_key`;
}
