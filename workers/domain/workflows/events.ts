import { sql } from "drizzle-orm";
import type { EventInput } from "../../contract/workflows";
import { type Database, queryRows } from "../../lib/db";
import { emailKey } from "../audience/email";
import { type DomainContext, queuesIn } from "../context";
import type { WorkflowJob } from "../jobs";
import { advanceRuns } from "./engine";
import { enterRuns, eventSource } from "./enter";
import { loadVersion } from "./graph";
import { moveRuns, type RunRow } from "./moves";

type EventJob = Extract<WorkflowJob, { type: "event" }>;

/**
 * `POST /api/v1/events`: a custom event for a subscriber, by address. An unknown address is
 * accepted and ignored (never created, and the answer does not say which). The event reaches the
 * engine through the workflows queue.
 */
export async function recordEvent(ctx: DomainContext, input: EventInput): Promise<void> {
  const [sub] = await queryRows<{ id: string }>(
    ctx.db,
    sql`select id from subscribers where lower(email) = ${emailKey(input.email)} limit 1`,
  );
  if (!sub) return;
  const job: EventJob = {
    type: "event",
    id: crypto.randomUUID(),
    subscriberId: sub.id,
    name: input.name,
    properties: input.properties ?? {},
    at: new Date().toISOString(),
  };
  await queuesIn(ctx).workflows.send(job);
}

export interface EventReport {
  converted: number;
  resumed: number;
  entered: number;
}

/**
 * One event, in the engine: runs whose goal is this event convert; runs waiting for it (with
 * matching properties) take their `event` branch; workflows it triggers enter the subscriber.
 * Then every run it touched advances. Delivered twice, it changes nothing more: moves are
 * fenced and the entry is keyed by the event's id.
 */
export async function handleEvent(ctx: DomainContext, ev: EventJob): Promise<EventReport> {
  const { db } = ctx;
  const converted = await convertByEvent(db, ev);
  const resumed = await resumeWaiting(db, ev);
  const entered: string[] = [];
  for (const w of await triggeredBy(db, ev.name)) {
    const v = await loadVersion(db, w.id, w.version);
    entered.push(...(await enterRuns(db, v, eventSource(ev.subscriberId, ev))));
  }
  await advanceRuns(ctx, [...resumed, ...entered]);
  return { converted, resumed: resumed.length, entered: entered.length };
}

async function convertByEvent(db: Database, ev: EventJob): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update workflow_instances i set status = 'converted', exit_reason = 'goal', wake_at = null,
        wait_event = null, wait_match = null, updated_at = now()
      from workflow_versions v, workflows w
      where i.subscriber_id = ${ev.subscriberId}::uuid and i.status in ('running', 'waiting')
        and v.workflow_id = i.workflow_id and v.version = i.version and v.goal->>'event' = ${ev.name}
        and w.id = i.workflow_id and w.status = 'active'
      returning i.id`,
  );
  return rows.length;
}

type Waiting = RunRow & { wait_match: Record<string, unknown> | null };

/** Runs waiting for this event whose awaited properties it carries: moved along `event`. */
async function resumeWaiting(db: Database, ev: EventJob): Promise<string[]> {
  const waiting = await queryRows<Waiting>(
    db,
    sql`select i.id, i.workflow_id, i.version, i.subscriber_id, i.current_node, i.visit, i.status, i.wait_match
      from workflow_instances i join workflows w on w.id = i.workflow_id and w.status = 'active'
      where i.subscriber_id = ${ev.subscriberId}::uuid and i.status = 'waiting' and i.wait_event = ${ev.name}`,
  );
  const matching = waiting.filter((r) => matches(r.wait_match, ev.properties));
  const moved: string[] = [];
  for (const r of matching) {
    const v = await loadVersion(db, r.workflow_id, r.version);
    const rows = await moveRuns(db, [r], {
      workflowId: r.workflow_id,
      nodeId: r.current_node,
      kind: "wait_event",
      from: "waiting",
      targets: new Map([["event", v.next(r.current_node, "event")]]),
      branch: sql`'event'`,
      endReason: "end",
    });
    moved.push(...rows.map((m) => m.id));
  }
  return moved;
}

/**
 * Every awaited property must be on the event with the same value; numbers and their text are the
 * same (`7` and `"7"`: a cart id typed differently by two systems). A missing trigger property
 * (null) never matches.
 */
export function matches(wanted: Record<string, unknown> | null, got: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(wanted ?? {})) {
    if (value === null || value === undefined) return false;
    const have = got[key];
    if (have === null || have === undefined) return false;
    if (typeof value === "object" || typeof have === "object") {
      if (JSON.stringify(value) !== JSON.stringify(have)) return false;
    } else if (String(value) !== String(have)) return false;
  }
  return true;
}

async function triggeredBy(db: Database, name: string): Promise<{ id: string; version: number }[]> {
  return queryRows<{ id: string; version: number }>(
    db,
    sql`select w.id, w.current_version as version
      from workflows w join workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
      where w.status = 'active' and v.trigger->>'type' = 'event' and v.trigger->>'name' = ${name}`,
  );
}
