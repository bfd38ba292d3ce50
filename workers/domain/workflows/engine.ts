import { sql } from "drizzle-orm";
import type { Database } from "../../lib/db";
import { queryRows } from "../../lib/db";
import { compileSegment } from "../audience/segments/compiler";
import type { DomainContext } from "../context";
import { getSettingsOf } from "../settings";
import { flushEffects } from "./effects";
import { type CompiledVersion, loadVersion } from "./graph";
import { idArray, type RunRow } from "./moves";
import { noEffects, runNode } from "./steps";

/**
 * Moves per advance: a run goes one node per round, so this bounds how far one call walks a run
 * (validation refuses cycles without a wait, so only very long chains reach it; the rest of the
 * walk is left due, and the next advance or the cron continues it).
 */
const MAX_ROUNDS = 64;

export interface AdvanceReport {
  /** Node steps taken. */
  steps: number;
  /** Runs that left because they unsubscribed, bounced, were suppressed or reached the goal. */
  left: number;
  sends: number;
}

/**
 * Advances the given runs as far as they go now: every round reads the ones that are due (standing
 * at a node, or at the end of a wait), lets the ones who must leave go, and runs each node once
 * for all the runs standing on it. Safe to call twice with the same ids, at once or later: every
 * move is fenced, every side effect keyed. Only runs of active workflows move.
 */
export async function advanceRuns(ctx: DomainContext, ids: readonly string[]): Promise<AdvanceReport> {
  const report: AdvanceReport = { steps: 0, left: 0, sends: 0 };
  if (ids.length === 0) return report;
  const { db } = ctx;
  const { timezone } = await getSettingsOf(db, ["timezone"]);
  const effects = noEffects();
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const due = await dueRuns(db, ids);
      if (due.length === 0) break;
      const staying = await stayers(db, due, report);
      for (const group of groupByNode(staying)) {
        const version = await loadVersion(db, group[0].workflow_id, group[0].version);
        const node = version.nodes.get(group[0].current_node);
        if (!node) {
          await failRuns(db, group, `node "${group[0].current_node}" is not in version ${version.version}`);
          continue;
        }
        await runNode({ db, version, orgZone: timezone, effects }, node, group, group[0].status);
        report.steps += group.length;
      }
    }
  } finally {
    report.sends += effects.sendIds.length;
    await flushEffects(ctx, effects);
  }
  return report;
}

/**
 * The runs that are due (standing at a node, or at the end of a wait), read together with the
 * ones who must leave, who are let go in the same statement: runs whose subscriber unsubscribed
 * (everywhere, or from the list that started the run), bounced, complained, was blocked or
 * suppressed leave (`exited`, with why). One statement per round rather than a read and then an
 * update of the same runs.
 */
async function dueRuns(db: Database, ids: readonly string[]): Promise<(RunRow & { gone: boolean })[]> {
  return queryRows<RunRow & { gone: boolean }>(
    db,
    sql`with due as (
        select i.id, i.workflow_id, i.version, i.subscriber_id, i.current_node, i.visit, i.status
        from workflow_instances i join workflows w on w.id = i.workflow_id and w.status = 'active'
        where i.id = any(${idArray(ids)})
          and (i.status = 'running' or (i.status = 'waiting' and i.wake_at <= now()))
      ), reasons as (
        select d.id, case
          when s.status <> 'active' then s.status::text
          when exists (select 1 from suppressions sp
            where sp.email_hash = encode(sha256(convert_to(lower(btrim(s.email)), 'UTF8')), 'hex')) then 'suppressed'
          when v.trigger->>'type' = 'list_joined' and exists (select 1 from list_memberships lm
            where lm.list_id = (v.trigger->>'listId')::uuid and lm.subscriber_id = d.subscriber_id
              and lm.status = 'unsubscribed') then 'unsubscribed'
          end as reason
        from due d
          join subscribers s on s.id = d.subscriber_id
          join workflow_versions v on v.workflow_id = d.workflow_id and v.version = d.version
      ), gone as (
        update workflow_instances i set status = 'exited', exit_reason = r.reason, wake_at = null,
          wait_event = null, wait_match = null, updated_at = now()
        from reasons r
        where i.id = r.id and r.reason is not null and i.status in ('running', 'waiting')
        returning i.id
      )
      select due.*, gone.id is not null as gone from due left join gone on gone.id = due.id`,
  );
}

type Group = [RunRow, ...RunRow[]];

function groupByNode(runs: RunRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of runs) {
    const key = `${r.workflow_id}:${r.version}:${r.current_node}:${r.status}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

/**
 * Before each step: the due runs that left (see `dueRuns`) are counted and dropped; runs whose
 * subscriber meets the workflow's segment goal leave converted.
 */
async function stayers(
  db: Database,
  due: (RunRow & { gone: boolean })[],
  report: AdvanceReport,
): Promise<RunRow[]> {
  const goneIds = new Set(due.filter((r) => r.gone).map((r) => r.id));
  const converted = await convertByGoal(
    db,
    due.filter((r) => !goneIds.has(r.id)),
  );
  for (const id of converted) goneIds.add(id);
  report.left += goneIds.size;
  return due.filter((r) => !goneIds.has(r.id));
}

/** Segment goals, one statement per version; event goals are met in `events.ts` when the event arrives. */
async function convertByGoal(db: Database, runs: RunRow[]): Promise<string[]> {
  const byVersion = new Map<string, RunRow[]>();
  for (const r of runs)
    byVersion.set(`${r.workflow_id}:${r.version}`, [
      ...(byVersion.get(`${r.workflow_id}:${r.version}`) ?? []),
      r,
    ]);
  const out: string[] = [];
  for (const group of byVersion.values()) {
    const first = group[0];
    if (!first) continue;
    const version = await loadVersion(db, first.workflow_id, first.version);
    if (!isSegmentGoal(version)) continue;
    const where = await compileSegment(db, version.goal);
    const rows = await queryRows<{ id: string }>(
      db,
      sql`update workflow_instances i set status = 'converted', exit_reason = 'goal', wake_at = null,
          wait_event = null, wait_match = null, updated_at = now()
        where i.id = any(${idArray(group.map((r) => r.id))}) and i.status in ('running', 'waiting')
          and exists (select 1 from subscribers where subscribers.id = i.subscriber_id and ${where})
        returning i.id`,
    );
    for (const r of rows) out.push(r.id);
  }
  return out;
}

const isSegmentGoal = (v: CompiledVersion) =>
  v.goal !== null && !("event" in v.goal && typeof v.goal.event === "string");

/** A run whose node vanished from its version (a bug, never input): stopped where it stands, visibly. */
async function failRuns(db: Database, runs: RunRow[], reason: string): Promise<void> {
  console.error(`workflows: ${runs.length} run(s) failed: ${reason}`);
  await db.execute(sql`update workflow_instances set status = 'failed', exit_reason = ${reason.slice(0, 200)},
      wake_at = null, updated_at = now()
    where id = any(${idArray(runs.map((r) => r.id))}) and status in ('running', 'waiting')`);
}
