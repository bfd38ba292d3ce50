import { sql } from "drizzle-orm";
import type { WorkflowTrigger } from "../../contract/workflows";
import { affectedRows, type Database, queryRows } from "../../lib/db";
import { compileSegment } from "../audience/segments/compiler";
import { subscriberZoneSql } from "../audience/zone";
import { type DomainContext, queuesIn } from "../context";
import { getSettingsOf } from "../settings";
import { advanceRuns } from "./engine";
import { campaignActivitySource, enterMany, enterRuns, triggerContext } from "./enter";
import { type CompiledVersion, loadVersion } from "./graph";

/**
 * Joins and confirmations are read back from the memberships' own times, a little further back
 * than the last look: a membership committed late (its transaction began before the last look)
 * is still seen, and the entry key (the join's time) keeps it from entering twice.
 */
const JOIN_OVERLAP_SECONDS = 120;

interface ActiveWorkflow {
  id: string;
  version: number;
  checked_at: Date | string | null;
  activated_at: Date | string | null;
}

/** Active workflows whose newest version has this kind of trigger. */
async function activeWith(db: Database, type: WorkflowTrigger["type"]): Promise<ActiveWorkflow[]> {
  return queryRows<ActiveWorkflow>(
    db,
    sql`select w.id, w.current_version as version, w.checked_at, w.activated_at
      from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
      where w.status = 'active' and v.trigger->>'type' = ${type}`,
  );
}

async function markChecked(db: Database, workflowId: string, at: Date): Promise<void> {
  await db.execute(
    sql`update workflows set checked_at = ${at.toISOString()}::timestamptz where id = ${workflowId}::uuid`,
  );
}

/** Runs entered in bulk are advanced by a drain message of their workflow. */
async function drainLater(ctx: DomainContext, workflowId: string, entered: number): Promise<void> {
  if (entered > 0) await queuesIn(ctx).workflows.send({ type: "drain", workflowId });
}

/**
 * `list_joined`: who joined each trigger list since the last look (confirmed members; on a double
 * opt-in list that is after the confirmation). Imported members enter only when their import
 * asked for it. Every minute, from the cron.
 */
export async function enterListJoins(ctx: DomainContext): Promise<number> {
  let total = 0;
  for (const w of await activeWith(ctx.db, "list_joined")) {
    const v = await loadVersion(ctx.db, w.id, w.version);
    if (v.trigger.type !== "list_joined") continue;
    const now = new Date();
    const since = new Date(w.checked_at ?? w.activated_at ?? now);
    const joined = sql`coalesce(lm.confirmed_at, lm.consented_at)`;
    const source = sql`select lm.subscriber_id,
        ${triggerContext(sql`jsonb_build_object('type', 'list_joined', 'listId', ${v.trigger.listId}::text)`)} as context,
        'joined:' || extract(epoch from ${joined})::text as entry_key
      from list_memberships lm
      where lm.list_id = ${v.trigger.listId}::uuid and lm.status = 'confirmed'
        and ${joined} > ${since.toISOString()}::timestamptz - make_interval(secs => ${JOIN_OVERLAP_SECONDS})
        and ${joined} <= ${now.toISOString()}::timestamptz
        and (lm.source <> 'import' or lm.trigger_workflows)`;
    const n = await enterMany(ctx.db, v, source);
    await markChecked(ctx.db, w.id, now);
    await drainLater(ctx, w.id, n);
    total += n;
  }
  return total;
}

/**
 * `segment_entered`: who matches the segment now and did not at the last look (kept per workflow
 * in `workflow_segment_members`), entered set-based; then the look is recorded. Every minute.
 */
export async function enterSegmentEntries(ctx: DomainContext): Promise<number> {
  let total = 0;
  for (const w of await activeWith(ctx.db, "segment_entered")) {
    const v = await loadVersion(ctx.db, w.id, w.version);
    if (v.trigger.type !== "segment_entered") continue;
    const n = await compareSegment(ctx.db, v, v.trigger.segmentId, true);
    await drainLater(ctx, w.id, n);
    total += n;
  }
  return total;
}

/**
 * Compares a segment with the workflow's last look and records this one. `enter: false` (an
 * activation without `existing`) only records who matches, so that only later arrivals enter.
 */
export async function compareSegment(
  db: Database,
  v: CompiledVersion,
  segmentId: string,
  enter: boolean,
): Promise<number> {
  const [segment] = await queryRows<{ rules: unknown }>(
    db,
    sql`select rules from segments where id = ${segmentId}::uuid`,
  );
  if (!segment) return 0;
  const where = await compileSegment(db, segment.rules);
  const now = new Date();
  let n = 0;
  if (enter) {
    n = await enterMany(
      db,
      v,
      sql`select subscribers.id as subscriber_id,
          ${triggerContext(sql`jsonb_build_object('type', 'segment_entered', 'segmentId', ${segmentId}::text)`)} as context,
          ${`segment:${now.getTime()}`}::text as entry_key
        from subscribers where ${where} and not exists (select 1 from workflow_segment_members m
          where m.workflow_id = ${v.workflowId}::uuid and m.subscriber_id = subscribers.id)`,
    );
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from workflow_segment_members m where m.workflow_id = ${v.workflowId}::uuid
      and not exists (select 1 from subscribers where subscribers.id = m.subscriber_id and ${where})`);
    await tx.execute(sql`insert into workflow_segment_members (workflow_id, subscriber_id)
      select ${v.workflowId}::uuid, subscribers.id from subscribers where ${where} on conflict do nothing`);
    await markChecked(tx, v.workflowId, now);
  });
  return n;
}

/**
 * `date_field`: subscribers whose date field (plus the offset) falls on today in their own zone
 * and whose local time has reached the trigger's time; once per year each (the entry key).
 */
export async function enterAnniversaries(ctx: DomainContext): Promise<number> {
  const { timezone } = await getSettingsOf(ctx.db, ["timezone"]);
  let total = 0;
  for (const w of await activeWith(ctx.db, "date_field")) {
    const v = await loadVersion(ctx.db, w.id, w.version);
    if (v.trigger.type !== "date_field") continue;
    const n = await enterMany(ctx.db, v, anniversarySource(v.trigger, timezone));
    await drainLater(ctx, w.id, n);
    total += n;
  }
  return total;
}

function anniversarySource(t: Extract<WorkflowTrigger, { type: "date_field" }>, orgZone: string) {
  const zone = subscriberZoneSql("s", orgZone);
  return sql`select s.id as subscriber_id,
      ${triggerContext(sql`jsonb_build_object('type', 'date_field', 'field', ${t.field}::text, 'date', s.fields->>${t.field})`)} as context,
      'date:' || to_char(l.local_now, 'YYYY') as entry_key
    from subscribers s, lateral (select (now() at time zone ${zone}) as local_now) l
    where s.status = 'active' and s.fields->>${t.field} ~ '^\\d{4}-\\d{2}-\\d{2}'
      and to_char(substr(s.fields->>${t.field}, 1, 10)::date + ${t.offsetDays ?? 0}::int, 'MM-DD') = to_char(l.local_now, 'MM-DD')
      and l.local_now::time >= ${t.time ?? "09:00"}::time`;
}

/**
 * `campaign_activity`: people who just opened or clicked a campaign (the events consumer hands
 * over first human opens and clicks) enter the workflows waiting for that; returns the new runs.
 */
export async function enterOnCampaignActivity(
  ctx: DomainContext,
  activity: { campaignId: string; subscriberId: string; kind: "opened" | "clicked" }[],
): Promise<string[]> {
  if (activity.length === 0) return [];
  const ids: string[] = [];
  for (const w of await activeWith(ctx.db, "campaign_activity")) {
    const v = await loadVersion(ctx.db, w.id, w.version);
    if (v.trigger.type !== "campaign_activity") continue;
    const { campaignId, activity: kind } = v.trigger;
    const who = activity
      .filter((a) => a.campaignId === campaignId && a.kind === kind)
      .map((a) => a.subscriberId);
    if (who.length > 0)
      ids.push(...(await enterRuns(ctx.db, v, campaignActivitySource(campaignId, kind, who))));
  }
  if (ids.length > 0) await advanceRuns(ctx, ids);
  return ids;
}

/**
 * Segment goals, for runs that are waiting (runs that move are checked before every step): each
 * minute, every live run of an active workflow whose subscriber now meets its version's goal
 * converts, one statement per version.
 */
export async function convertSegmentGoals(ctx: DomainContext): Promise<number> {
  const versions = await queryRows<{ workflow_id: string; version: number }>(
    ctx.db,
    sql`select distinct i.workflow_id, i.version from workflow_instances i
      join workflows w on w.id = i.workflow_id and w.status = 'active'
      join workflow_versions v on v.workflow_id = i.workflow_id and v.version = i.version
      where i.status in ('running', 'waiting') and v.goal is not null and not (v.goal ? 'event')`,
  );
  let total = 0;
  for (const r of versions) {
    const v = await loadVersion(ctx.db, r.workflow_id, r.version);
    if (!v.goal) continue;
    const where = await compileSegment(ctx.db, v.goal);
    total += await affectedRows(
      ctx.db,
      sql`update workflow_instances i set status = 'converted', exit_reason = 'goal', wake_at = null,
          wait_event = null, wait_match = null, updated_at = now()
        where i.workflow_id = ${r.workflow_id}::uuid and i.version = ${r.version} and i.status in ('running', 'waiting')
          and exists (select 1 from subscribers where subscribers.id = i.subscriber_id and ${where})`,
    );
  }
  return total;
}
