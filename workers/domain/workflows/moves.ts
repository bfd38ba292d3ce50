import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../lib/db";

/** A run as the engine reads it: where it stands and how many moves it has made (the fence). */
export interface RunRow {
  id: string;
  workflow_id: string;
  version: number;
  subscriber_id: string;
  current_node: string;
  visit: number;
  status: "running" | "waiting";
}

/** A run that moved: its visit at the node it left, and the branch it took there. */
export interface Moved {
  id: string;
  subscriber_id: string;
  visit: number;
  branch: string;
}

export interface MoveSpec {
  workflowId: string;
  nodeId: string;
  kind: string;
  /** The status the runs stand in at the node (`running`: the node runs now; `waiting`: it is over). */
  from: "running" | "waiting";
  /** Each branch's next node (null: the run ends there). */
  targets: ReadonlyMap<string, string | null>;
  /** The branch each run takes, an SQL expression over the run `i` (and `seen.visit`). */
  branch: SQL;
  /** Final status when the next node is null: `completed` (end of the graph, an exit node). */
  endReason: string;
  /**
   * More statements in the same command, reading the CTE `moved (id, subscriber_id, visit,
   * branch)`: the send ledger row, the webhook call, the field update. Each is `name AS (...)`.
   */
  effects?: SQL[];
  /** What to select at the end (default: the moved rows). */
  select?: SQL;
}

const pgArray = (values: readonly (string | number)[], type: "uuid" | "int") =>
  type === "uuid" ? sql`${`{${values.join(",")}}`}::uuid[]` : sql`${`{${values.join(",")}}`}::int[]`;

/**
 * Moves runs off one node in one statement: each run whose node and visit are still the ones the
 * engine read (the fence: a step run twice, by a redelivered message or a rival consumer, moves
 * nothing the second time), along the branch `spec.branch` picks, to that branch's node, with
 * the history row, the node's passed counter and the node's side effects in the same command,
 * so all of them happen once or not at all.
 */
export async function moveRuns<T = Moved>(
  db: Database,
  runs: readonly RunRow[],
  spec: MoveSpec,
): Promise<T[]> {
  if (runs.length === 0) return [];
  const cases = [...spec.targets].map(([b, to]) => sql`when ${b} then ${to}::text`);
  const nextOf = (col: SQL) => sql`(case ${col} ${sql.join(cases, sql` `)} else null end)`;
  const effects = spec.effects?.length ? sql`, ${sql.join(spec.effects, sql`, `)}` : sql``;
  return queryRows<T>(
    db,
    sql`with seen as (${seenRuns(runs)}), decided as materialized (
        select i.id, seen.visit, (${spec.branch})::text as branch
        from seen cross join lateral (${byId(sql`seen.id`)}) i
        where i.visit = seen.visit and i.current_node = ${spec.nodeId} and i.status = ${spec.from}
      ), moved as (
        update workflow_instances i set
          current_node = coalesce(${nextOf(sql`d.branch`)}, i.current_node),
          visit = i.visit + 1,
          status = (case when ${nextOf(sql`d.branch`)} is null then 'completed' else 'running' end)::workflow_instance_status,
          exit_reason = case when ${nextOf(sql`d.branch`)} is null then ${spec.endReason} else null end,
          wake_at = case when ${nextOf(sql`d.branch`)} is null then null else now() end,
          wait_event = null, wait_match = null, updated_at = now()
        from decided d
        where i.id = d.id and i.visit = d.visit and i.status = ${spec.from}
        returning i.id, i.subscriber_id, d.visit, d.branch
      ), history as (
        insert into workflow_steps (instance_id, workflow_id, node_id, kind, outcome)
        select id, ${spec.workflowId}::uuid, ${spec.nodeId}, ${spec.kind}, branch from moved
      ), counted as (
        insert into workflow_node_counts (workflow_id, node_id, passed)
        select ${spec.workflowId}::uuid, ${spec.nodeId}, count(*) from moved having count(*) > 0
        on conflict (workflow_id, node_id) do update set passed = workflow_node_counts.passed + excluded.passed
      )${effects}
      ${spec.select ?? sql`select id, subscriber_id, visit, branch from moved`}`,
  );
}

/**
 * One run, found by its id alone. Inside a lateral subquery behind `offset 0` (which the planner
 * does not flatten), the primary key is the only index that fits, so a batch of runs is read by
 * one key lookup each. Joined directly (`seen join workflow_instances i on i.id = seen.id where
 * i.current_node = ...`), the planner trusted statistics taken while the runs stood elsewhere:
 * it estimated one run at the node, scanned the node index and rescanned the whole batch for
 * each run found (1,000 × 1,000 comparisons: 220 ms where reading the runs by id takes under
 * 10; BENCHMARKS.md, Workflows). `decided` is materialized too: the branch (a segment rule, a
 * lookup of sends) is then evaluated once per run rather than once for each `case` of the update
 * that reads it.
 */
export const byId = (id: SQL) => sql`select * from workflow_instances x where x.id = ${id} offset 0`;

/** The runs as the engine read them: `(id, visit)` rows, the fence every move and hold checks. */
export const seenRuns = (runs: readonly RunRow[]) =>
  sql`select unnest(${pgArray(
    runs.map((r) => r.id),
    "uuid",
  )}) as id, unnest(${pgArray(
    runs.map((r) => r.visit),
    "int",
  )}) as visit`;

/** The runs still standing where the engine read them, as an SQL list of ids for `i.id = any(...)`. */
export const idArray = (ids: readonly string[]) => pgArray(ids, "uuid");
