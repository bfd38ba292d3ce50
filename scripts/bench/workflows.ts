import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { CreateWorkflow } from "../../workers/contract/workflows";
import { systemActor } from "../../workers/domain/actor";
import type { DomainContext, JobQueue } from "../../workers/domain/context";
import { drainWorkflow } from "../../workers/domain/workflows/drain";
import { activateWorkflow } from "../../workers/domain/workflows/lifecycle";
import { createWorkflow } from "../../workers/domain/workflows/workflows";
import { openDb, queryRows } from "../../workers/lib/db";
import { applyMigrations } from "../lib/migrate";
import { type Bench, type Figure, figure } from "./harness";
import {
  ADVANCE,
  BATCH,
  DB_TAG,
  ENTRY_ROUNDS,
  HASH,
  loadNow,
  log,
  ON_POSTGRES,
  type Seeded,
  SIZE,
  scratchDatabase,
  seconds,
  seed,
  sizeLabel,
} from "./workflows-seed";
import { workerFigures } from "./workflows-worker";

/**
 * Workflows at scale (issue 13, "Speed"): entering a whole list at activation, advancing due runs
 * node by node, timers through the real Worker, and the Worker's memory while a million runs
 * wait. Each figure beside a baseline measured in the same run: the same statements written by
 * hand for the database figures, the path's own floor for the timers, the memory before.
 */

/** Queues that take messages and drop them: the database figures time the domain calls alone. */
function silentQueue<T>(): JobQueue<T> {
  return { send: async () => undefined, sendBatch: async () => undefined };
}

function benchContext(url: string) {
  const conn = openDb(url);
  const ctx: DomainContext = {
    db: conn.db,
    actor: systemActor("bench"),
    queues: { sends: silentQueue(), imports: silentQueue(), workflows: silentQueue() },
  };
  return { ctx, close: conn.close };
}

/**
 * Clears every run between measurements (and what hangs off them), then a checkpoint. TRUNCATE
 * also forgets the table's statistics, as on a database that never had runs: analyzed while
 * empty, the table made the hand-written entry quadratic (BENCHMARKS.md, Workflows).
 */
async function resetRuns(c: pg.Client): Promise<void> {
  await c.query("truncate workflow_instances, workflow_node_counts cascade");
  await c.query("checkpoint").catch(() => undefined);
}

/**
 * The entry a person would write for "everyone on the list who may get mail, once": the same
 * columns and filters as the engine's (active, not suppressed, never in the workflow, on
 * conflict do nothing), into a fresh workflow of the same definition.
 */
const HAND_ENTRY = `insert into workflow_instances
    (workflow_id, version, subscriber_id, status, current_node, wake_at, context, entry_key, concurrent)
  select $1::uuid, 1, lm.subscriber_id, 'running', $3::text, now(),
    jsonb_build_object('trigger', jsonb_build_object('type', 'list_joined', 'listId', $2::text)),
    'joined:' || coalesce(extract(epoch from coalesce(lm.confirmed_at, lm.consented_at)), 0)::text, false
  from list_memberships lm join subscribers s on s.id = lm.subscriber_id
  where lm.list_id = $2::uuid and lm.status = 'confirmed' and s.status = 'active'
    and not exists (select 1 from suppressions sp where sp.email_hash = ${HASH})
    and not exists (select 1 from workflow_instances x where x.workflow_id = $1::uuid and x.subscriber_id = s.id)
  on conflict do nothing`;

const entryWorkflow = (listId: string, n: number): CreateWorkflow => ({
  name: `enter ${n}`,
  trigger: { type: "list_joined", listId, existing: true },
  nodes: [
    { id: "pause", type: "wait", seconds: 86400 },
    { id: "done", type: "exit" },
  ],
  edges: [{ from: "pause", to: "done" }],
});

/** Figure 1: activation with `existing: true` on the whole list, against the hand-written INSERT ... SELECT. */
async function entryFigures(url: string, c: pg.Client, s: Seeded): Promise<Figure[]> {
  const { ctx, close } = benchContext(url);
  const ours: number[] = [];
  const hand: number[] = [];
  let entered = { ours: 0, hand: 0 };
  try {
    await resetRuns(c);
    for (let round = 0; round < ENTRY_ROUNDS; round++) {
      const sides = round % 2 === 0 ? (["hand", "ours"] as const) : (["ours", "hand"] as const);
      for (const side of sides) {
        const wf = await createWorkflow(ctx, entryWorkflow(s.everyone, round));
        await c.query("checkpoint").catch(() => undefined);
        const t0 = performance.now();
        if (side === "ours") await activateWorkflow(ctx, wf.id);
        else await c.query(HAND_ENTRY, [wf.id, s.everyone, "pause"]);
        const took = seconds(t0);
        const n = Number(
          (await c.query("select count(*) as n from workflow_instances where workflow_id = $1", [wf.id]))
            .rows[0]?.n,
        );
        (side === "ours" ? ours : hand).push(took);
        entered = { ...entered, [side]: n };
        log(`entry round ${round + 1}, ${side}: ${n} runs in ${took.toFixed(2)} s`);
        await resetRuns(c);
      }
    }
  } finally {
    await close();
  }
  if (entered.ours !== entered.hand)
    throw new Error(`the engine entered ${entered.ours}, the hand-written statement ${entered.hand}`);
  const best = { ours: Math.min(...ours), hand: Math.min(...hand) };
  const label = sizeLabel(SIZE);
  return [
    figure(
      `workflows-enter-${label}-runs-per-s ${DB_TAG}`,
      entered.ours / best.ours,
      "runs/s",
      `the same INSERT ... SELECT written by hand (${entered.hand} of ${SIZE} members enter), fastest of ${hand.length}`,
      entered.hand / best.hand,
    ),
    figure(`workflows-enter-${label}-seconds ${DB_TAG} (lower is better)`, best.ours, "s", "target 60 s", 60),
  ];
}

/** wait -> condition (plan is pro) -> update (tier gold or silver) -> exit. */
const advanceWorkflow = (listId: string, side: string): CreateWorkflow => ({
  name: `advance ${side}`,
  trigger: { type: "list_joined", listId, existing: true },
  nodes: [
    { id: "pause", type: "wait", seconds: 3600 },
    { id: "pro", type: "condition", rule: { field: "plan", op: "eq", value: "pro" } },
    { id: "gold", type: "update", set: { tier: "gold" } },
    { id: "silver", type: "update", set: { tier: "silver" } },
    { id: "done", type: "exit" },
  ],
  edges: [
    { from: "pause", to: "pro" },
    { from: "pro", to: "gold", branch: "yes" },
    { from: "pro", to: "silver", branch: "no" },
    { from: "gold", to: "done" },
    { from: "silver", to: "done" },
  ],
});

/** The due runs of a workflow, a batch at a time, as `drainWorkflow` reads them. */
const DUE = `select i.id from workflow_instances i join workflows w on w.id = i.workflow_id and w.status = 'active'
  where i.workflow_id = $1::uuid and i.status in ('running', 'waiting') and i.wake_at <= now()
  order by i.wake_at limit ${BATCH}`;

/** Per batch, the statements a person would write for the same moves: each with its history rows and counter. */
const counted = (node: string) => `counted as (insert into workflow_node_counts (workflow_id, node_id, passed)
    select $1::uuid, ${node}, count(*) from moved having count(*) > 0
    on conflict (workflow_id, node_id) do update set passed = workflow_node_counts.passed + excluded.passed)`;

const HAND_MOVES = [
  // The wait is over: on to the condition.
  `with moved as (update workflow_instances i set current_node = 'pro', visit = i.visit + 1, status = 'running',
      wake_at = now(), updated_at = now()
    where i.id = any($2::uuid[]) and i.current_node = 'pause' and i.status = 'waiting' returning i.id),
  history as (insert into workflow_steps (instance_id, workflow_id, node_id, kind, outcome)
    select id, $1::uuid, 'pause', 'wait', 'waited' from moved),
  ${counted("'pause'")}
  select count(*) from moved`,
  // The condition: yes to gold, no to silver.
  `with decided as (select i.id, case when s.fields->>'plan' = 'pro' then 'yes' else 'no' end as branch
      from workflow_instances i join subscribers s on s.id = i.subscriber_id
      where i.id = any($2::uuid[]) and i.current_node = 'pro' and i.status = 'running'),
  moved as (update workflow_instances i set current_node = case d.branch when 'yes' then 'gold' else 'silver' end,
      visit = i.visit + 1, wake_at = now(), updated_at = now()
    from decided d where i.id = d.id returning i.id, d.branch),
  history as (insert into workflow_steps (instance_id, workflow_id, node_id, kind, outcome)
    select id, $1::uuid, 'pro', 'condition', branch from moved),
  ${counted("'pro'")}
  select count(*) from moved`,
  // Both update nodes: the field set, on to the exit.
  `with standing as (select i.id, i.current_node as node from workflow_instances i
      where i.id = any($2::uuid[]) and i.current_node in ('gold', 'silver') and i.status = 'running'),
  moved as (update workflow_instances i set current_node = 'done', visit = i.visit + 1, wake_at = now(),
      updated_at = now()
    from standing d where i.id = d.id returning i.id, i.subscriber_id, d.node),
  fields_set as (update subscribers s set fields = s.fields || jsonb_build_object('tier', m.node), updated_at = now()
    from moved m where s.id = m.subscriber_id),
  history as (insert into workflow_steps (instance_id, workflow_id, node_id, kind, outcome)
    select id, $1::uuid, node, 'update', 'updated' from moved),
  counted as (insert into workflow_node_counts (workflow_id, node_id, passed)
    select $1::uuid, node, count(*) from moved group by node
    on conflict (workflow_id, node_id) do update set passed = workflow_node_counts.passed + excluded.passed)
  select count(*) from moved`,
  // The exit.
  `with moved as (update workflow_instances i set visit = i.visit + 1, status = 'completed', exit_reason = 'exit',
      wake_at = null, updated_at = now()
    where i.id = any($2::uuid[]) and i.current_node = 'done' and i.status = 'running' returning i.id),
  history as (insert into workflow_steps (instance_id, workflow_id, node_id, kind, outcome)
    select id, $1::uuid, 'done', 'exit', 'exit' from moved),
  ${counted("'done'")}
  select count(*) from moved`,
];

/** Enters the list's members into a new workflow and holds every run at the wait, due in a day. */
async function heldAtTheWait(ctx: DomainContext, c: pg.Client, s: Seeded, side: string): Promise<string> {
  const wf = await createWorkflow(ctx, advanceWorkflow(s.advance, side));
  await activateWorkflow(ctx, wf.id);
  await c.query(
    `update workflow_instances set status = 'waiting', wake_at = now() + interval '1 day'
     where workflow_id = $1::uuid and current_node = 'pause'`,
    [wf.id],
  );
  return wf.id;
}

/** `n` more of a workflow's runs at the wait come due now. */
async function makeDue(c: pg.Client, wf: string, n: number): Promise<void> {
  await c.query(
    `update workflow_instances set wake_at = now() - interval '1 second' where id in (
       select id from workflow_instances where workflow_id = $1::uuid and status = 'waiting'
         and current_node = 'pause' and wake_at > now() order by id limit $2)`,
    [wf, n],
  );
}

/** What each side left: runs by status and node, history rows by outcome, counters (they must agree). */
async function outcome(c: pg.Client, wf: string): Promise<string> {
  const rows = await c.query(
    `select 'run ' || status || ' ' || current_node as k, count(*) as n from workflow_instances where workflow_id = $1 group by 1
     union all select 'step ' || node_id || ' ' || outcome, count(*) from workflow_steps where workflow_id = $1 group by 1
     union all select 'passed ' || node_id, passed from workflow_node_counts where workflow_id = $1
     order by 1`,
    [wf],
  );
  return rows.rows.map((r) => `${r.k}: ${r.n}`).join(", ");
}

/** CPU seconds used so far by a connection's server process, where Postgres runs on this machine (else NaN). */
function backendCpu(pid: number): number {
  if (!ON_POSTGRES) return Number.NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The hand-written side of a drain: the same batches, read the same way, moved by `HAND_MOVES`. */
async function handDrain(c: pg.Client, wf: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const ids = (await c.query<{ id: string }>(DUE, [wf])).rows.map((r) => r.id);
    if (ids.length === 0) return moved;
    for (const statement of HAND_MOVES) await c.query(statement, [wf, `{${ids.join(",")}}`]);
    moved += ids.length;
  }
}

/**
 * Figure 2: `ADVANCE` due runs through wait -> condition -> update -> exit, by the engine
 * (`drainWorkflow`: the due runs a thousand at a time, each batch through `advanceRuns`) and by
 * the hand-written statements. Halves in the order hand, ours, ours, hand, so that both see the
 * machine alike; a side's half comes due just before its turn, so each drain reads only its own
 * due runs (`drainWorkflow` reads due runs in `wake_at` order: another workflow's due runs
 * would lie in its way, see BENCHMARKS.md).
 */
async function advanceFigures(url: string, c: pg.Client, s: Seeded): Promise<Figure[]> {
  const { ctx, close } = benchContext(url);
  try {
    const wf = { ours: await heldAtTheWait(ctx, c, s, "ours"), hand: await heldAtTheWait(ctx, c, s, "hand") };
    await c.query("vacuum analyze workflow_instances");
    await c.query("checkpoint").catch(() => undefined);
    const pid = {
      ours: Number((await queryRows<{ p: number }>(ctx.db, sql`select pg_backend_pid() as p`))[0]?.p),
      hand: Number((await c.query<{ p: number }>("select pg_backend_pid() as p")).rows[0]?.p),
    };
    const time = { ours: 0, hand: 0 };
    const cpu = { ours: 0, hand: 0 };
    const moved = { ours: 0, hand: 0 };
    for (const side of ["hand", "ours", "ours", "hand"] as const) {
      await makeDue(c, wf[side], Math.ceil(ADVANCE / 2));
      const [t0, c0] = [performance.now(), backendCpu(pid[side])];
      moved[side] +=
        side === "ours"
          ? (await drainWorkflow(ctx, wf.ours, 3_600_000)).advanced
          : await handDrain(c, wf.hand);
      time[side] += seconds(t0);
      cpu[side] += backendCpu(pid[side]) - c0;
    }
    const [a, b] = [await outcome(c, wf.ours), await outcome(c, wf.hand)];
    const perK = (side: "ours" | "hand") => `${((cpu[side] * 1e6) / moved[side]).toFixed(0)} ms`;
    log(
      `advance, engine: ${moved.ours} runs in ${time.ours.toFixed(2)} s, Postgres CPU ${perK("ours")} per 1,000 runs; ${a}`,
    );
    log(
      `advance, hand-written: ${moved.hand} runs in ${time.hand.toFixed(2)} s, Postgres CPU ${perK("hand")} per 1,000 runs; ${b}`,
    );
    if (a !== b) throw new Error("the engine and the hand-written statements left different results");
    await resetRuns(c);
    const label = sizeLabel(ADVANCE);
    const rate = moved.ours / time.ours;
    return [
      figure(
        `workflows-advance-${label}-runs-per-s ${DB_TAG}`,
        rate,
        "runs/s",
        "the same moves, history rows, counters and field updates written by hand, 4 statements per 1,000 runs, same run",
        moved.hand / time.hand,
      ),
      figure(
        `workflows-advance-${label}-runs-per-s-vs-target ${DB_TAG}`,
        rate,
        "runs/s",
        "target 5,000 runs/s",
        5000,
      ),
    ];
  } finally {
    await close();
  }
}

export const workflowsBench: Bench = async () => {
  const db = await scratchDatabase();
  const c = new pg.Client({ connectionString: db.url });
  c.on("error", () => undefined);
  try {
    await applyMigrations(db.url);
    await c.connect();
    const t0 = performance.now();
    const seeded = await seed(c);
    log(`${db.label}, seeded ${SIZE} subscribers and their memberships in ${seconds(t0).toFixed(1)} s`);
    log(`load average ${loadNow()} before the entry figures`);
    const entry = await entryFigures(db.url, c, seeded);
    log(`load average ${loadNow()} before the advance figures`);
    const advance = await advanceFigures(db.url, c, seeded);
    log(`load average ${loadNow()} before the Worker's figures`);
    const worker = await workerFigures(db, seeded);
    log(`load average ${loadNow()} at the end`);
    return [...entry, ...advance, ...worker];
  } finally {
    await c.end().catch(() => undefined);
    await db.stop();
  }
};
