import { type SQL, sql } from "drizzle-orm";
import type { NodeOf } from "../../contract/workflows";
import { type Database, queryRows } from "../../lib/db";
import { subscriberZoneSql } from "../audience/zone";
import { byId, type RunRow, seenRuns } from "./moves";

/** The zone for the run `i`: an explicit IANA name, else the subscriber's (`subscriberZoneSql`). */
export function zoneOf(orgZone: string, explicit?: string): SQL {
  if (explicit && explicit !== "subscriber") return sql`${explicit}::text`;
  return sql`(select ${subscriberZoneSql("s", orgZone)} from subscribers s where s.id = i.subscriber_id)`;
}

/** When a wait node is over, for the run `i`, as SQL (null: at once). */
export function wakeAtOf(node: NodeOf<"wait">, orgZone: string): SQL {
  if (node.seconds !== undefined) return sql`now() + make_interval(secs => ${node.seconds})`;
  if (node.until) {
    const zone = zoneOf(orgZone, node.until.timezone);
    const weekdays = node.until.weekdays ?? [1, 2, 3, 4, 5, 6, 7];
    // The first of the next eight local days whose weekday is allowed and whose `time` is still ahead.
    return sql`(select min(((local.day + k) + ${node.until.time}::time) at time zone local.zone)
      from (select (now() at time zone ${zone})::date as day, ${zone} as zone) local,
        generate_series(0, 7) k
      where extract(isodow from local.day + k)::int = any(${`{${weekdays.join(",")}}`}::int[])
        and ((local.day + k) + ${node.until.time}::time) at time zone local.zone > now())`;
  }
  // untilField: the start of that day (plus the offset) in the subscriber's zone; a missing or
  // malformed date passes at once.
  const field = node.untilField ?? "";
  const zone = subscriberZoneSql("s", orgZone);
  return sql`(select case when s.fields->>${field} ~ '^\\d{4}-\\d{2}-\\d{2}'
      then ((substr(s.fields->>${field}, 1, 10)::date + ${node.offsetDays ?? 0}::int)::timestamp at time zone ${zone})
      else now() end
    from subscribers s where s.id = i.subscriber_id)`;
}

/**
 * The values a `wait_event` node waits for, over the run `i`: literals as they are, and
 * `{{ trigger.properties.x }}` read from the event that started the run.
 */
export function matchOf(node: NodeOf<"wait_event">): SQL {
  const entries = Object.entries(node.match ?? {});
  if (entries.length === 0) return sql`'{}'::jsonb`;
  const parts = entries.map(([key, value]) => {
    const ref =
      typeof value === "string" ? /^\{\{\s*trigger\.properties\.([A-Za-z0-9_]+)\s*\}\}$/.exec(value) : null;
    const v = ref
      ? sql`i.context #> ${`{trigger,properties,${ref[1]}}`}::text[]`
      : sql`${JSON.stringify(value)}::jsonb`;
    return sql`${key}::text, ${v}`;
  });
  return sql`jsonb_build_object(${sql.join(parts, sql`, `)})`;
}

/** A run that now waits: until when. */
export interface Held {
  id: string;
  wake_at: Date | string | null;
}

/**
 * Runs start waiting at their node (fenced like a move: only runs still standing there, at the
 * visit read). Nothing is counted as passed yet; that happens when the wait is over.
 */
export async function holdRuns(
  db: Database,
  runs: readonly RunRow[],
  nodeId: string,
  wake: SQL,
  event?: { name: string; match: SQL },
): Promise<Held[]> {
  if (runs.length === 0) return [];
  const waitOn = event ? sql`wait_event = ${event.name}, wait_match = ${event.match},` : sql``;
  return queryRows<Held>(
    db,
    sql`with seen as (${seenRuns(runs)}),
      standing as materialized (
        select seen.id, seen.visit from seen cross join lateral (${byId(sql`seen.id`)}) r
        where r.visit = seen.visit and r.current_node = ${nodeId} and r.status = 'running'
      )
      update workflow_instances i set status = 'waiting', ${waitOn}
        wake_at = coalesce(${wake}, now()), updated_at = now()
      from standing
      where i.id = standing.id and i.visit = standing.visit and i.status = 'running'
      returning i.id, i.wake_at`,
  );
}
